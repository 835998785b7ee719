"""The academy's Ed25519 signing key: made once, kept, and published as a JWKS.

Where it comes from, in order: ``LEADWORKS_CREDENTIAL_PRIVATE_KEY`` (a PEM), else the key
file (``LEADWORKS_CREDENTIAL_KEY_FILE``, default ``<data_dir>/keys/credential-ed25519.pem``),
created on first use with mode 0600. Creating uses O_EXCL, so two workers starting at once
end up with the same key. The key id is the RFC 7638 thumbprint of the public key, so a
rotated key gets a new id and old credentials name the key that signed them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc.jwk import OKPKey

from leadworks.core.config import Settings


@dataclass(frozen=True)
class SigningKey:
    key: OKPKey  # private; never published
    kid: str  # the public key's thumbprint

    def public_jwk(self) -> dict[str, Any]:
        """The public half only (never ``d``), with its id and use."""
        public = self.key.as_dict(private=False)
        assert "d" not in public
        return public | {"kid": self.kid, "alg": "EdDSA", "use": "sig"}


def _pem_from_file(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker made it first: use theirs
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    return path.read_bytes()


@lru_cache(maxsize=8)
def _load(pem: bytes) -> SigningKey:
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("the credential signing key must be an Ed25519 private key (PEM)")
    key = OKPKey.import_key(pem)
    return SigningKey(key=key, kid=key.thumbprint())


def signing_key(settings: Settings) -> SigningKey:
    """The key credentials are signed with (read once per process and PEM)."""
    pem = settings.credential_private_key.get_secret_value().encode()
    if not pem.strip():
        assert settings.credential_key_file is not None
        pem = _pem_from_file(settings.credential_key_file)
    return _load(pem)


def jwks(settings: Settings) -> dict[str, Any]:
    """The JSON Web Key Set verifiers fetch from /.well-known/jwks.json."""
    return {"keys": [signing_key(settings).public_jwk()]}
