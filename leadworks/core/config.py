"""Every setting the platform reads, in one typed object.

Nothing else reads ``os.environ``: tests and the CLI build a ``Settings`` and pass it
down, so a setting is always visible where it is used.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_SECRET_KEY = "leadworks-demo-secret-key-change-me"


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    """Configuration from ``LEADWORKS_*`` environment variables (or a ``.env`` file)."""

    model_config = SettingsConfigDict(env_prefix="LEADWORKS_", env_file=".env", extra="ignore")

    env: Environment = Environment.development
    data_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    secret_key: str = DEMO_SECRET_KEY
    course_site_dir: Path = PROJECT_ROOT / "course" / "site"
    exercises_dir: Path = PROJECT_ROOT / "course" / "exercises"
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    api_token_max_age_seconds: int = Field(default=24 * 3600, ge=60)
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    sql_echo: bool = False

    @model_validator(mode="after")
    def _defaults_and_safety(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'leadworks.db'}"
        if self.env is not Environment.development and self.secret_key == DEMO_SECRET_KEY:
            raise ValueError(
                "LEADWORKS_SECRET_KEY is still the demo key; set a long random value "
                f"before running with LEADWORKS_ENV={self.env.value}"
            )
        if self.env is Environment.production and len(self.secret_key) < 32:
            raise ValueError("LEADWORKS_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_development(self) -> bool:
        return self.env is Environment.development
