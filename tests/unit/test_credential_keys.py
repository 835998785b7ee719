"""The signing key is made once and kept, can come from the environment instead, and only
its public half is ever published; the status list encodes revocations bit for bit."""

from __future__ import annotations

import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import SecretStr

from leadworks.core.config import Settings
from leadworks.credentials import badge
from leadworks.credentials.keys import jwks, signing_key


def test_the_key_is_made_once_private_to_its_owner_and_reused(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = jwks(settings)["keys"][0]
    path = settings.credential_key_file
    assert path is not None and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert jwks(Settings(data_dir=tmp_path))["keys"][0] == first
    assert "d" not in first and first["kty"] == "OKP" and first["crv"] == "Ed25519"


def test_a_key_from_the_environment_wins_and_no_file_is_written(tmp_path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    settings = Settings(data_dir=tmp_path, credential_private_key=SecretStr(pem.decode()))
    key = signing_key(settings)
    assert settings.credential_key_file is not None and not settings.credential_key_file.exists()
    assert jwks(settings)["keys"][0]["kid"] == key.kid


def test_the_status_list_sets_exactly_the_revoked_bits() -> None:
    encoded = badge.encoded_list([0, 9, badge.STATUS_LIST_SIZE - 1])
    assert encoded.startswith("u")
    for index in (0, 9, badge.STATUS_LIST_SIZE - 1):
        assert badge.bit_is_set(encoded, index)
    for index in (1, 8, 10, badge.STATUS_LIST_SIZE - 2):
        assert not badge.bit_is_set(encoded, index)
    assert badge.status_position(1) == (1, 0)
    assert badge.status_position(badge.STATUS_LIST_SIZE + 1) == (2, 0)


def test_a_misspelt_rule_part_stops_the_app_from_starting(tmp_path: Path) -> None:
    import pytest

    from leadworks.app import create_app

    settings = Settings(data_dir=tmp_path, credential_rule=["lessons", "capstones"])
    with pytest.raises(ValueError, match="capstones"):
        create_app(settings)
