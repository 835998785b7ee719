import pytest
from pydantic import ValidationError

from leadworks.core.config import DEMO_SECRET_KEY, Environment, Settings
from leadworks.core.security import (
    hash_password,
    new_invite_code,
    password_problem,
    verify_password,
)


def test_default_database_is_a_sqlite_file_under_the_data_dir(tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, env=Environment.development)
    assert settings.database_url == f"sqlite:///{tmp_path / 'leadworks.db'}"
    assert settings.is_sqlite


@pytest.mark.parametrize("env", [Environment.production, Environment.test])
def test_demo_secret_key_is_refused_outside_development(env: Environment) -> None:
    with pytest.raises(ValidationError, match="demo key"):
        Settings(env=env, secret_key=DEMO_SECRET_KEY)


def test_short_secret_key_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(env=Environment.production, secret_key="short-but-not-demo")


def test_postgres_url_is_accepted() -> None:
    url = "postgresql+psycopg://leadworks@db.internal:5432/leadworks"
    assert not Settings(database_url=url).is_sqlite


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "too short"),
        ("aaaaaaaaaaaa", "too few characters"),
        ("password123", "most common"),
        ("lena.learner-2026", "email name"),
        ("x" * 129, "too long"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, reason: str) -> None:
    problem = password_problem(password, email="lena.learner@example.com")
    assert problem is not None and reason in problem


def test_a_decent_password_passes() -> None:
    assert password_problem("leadworks-demo", email="learner@example.com") is None


def test_passwords_are_hashed_with_argon2_and_verify() -> None:
    hashed = hash_password("a-good-passphrase")
    assert hashed.startswith("$argon2")
    assert verify_password("a-good-passphrase", hashed)
    assert not verify_password("wrong-passphrase", hashed)
    assert not verify_password("anything", "not-a-hash")


def test_invite_codes_avoid_look_alike_characters() -> None:
    codes = {new_invite_code() for _ in range(200)}
    assert len(codes) == 200
    assert not any(set(code) & set("01OIL") for code in codes)
