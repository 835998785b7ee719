"""Every setting the platform reads, in one typed object.

Nothing else reads ``os.environ``: tests and the CLI build a ``Settings`` and pass it
down, so a setting is always visible where it is used.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
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
    # Login throttling (OWASP): failures are counted per (account, address) pair and per
    # address, each refused for the rest of the window once over its limit; an account on
    # its own only ever gets a short progressive delay, so nobody can lock its owner out.
    login_max_failures_per_pair: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=20, ge=1)
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_delay_seconds: int = Field(default=30, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    # Account emails (sign-up links, password resets): per recipient and per address.
    mail_max_per_recipient: int = Field(default=3, ge=1)
    mail_max_per_address: int = Field(default=10, ge=1)
    password_reset_max_age_seconds: int = Field(default=3600, ge=60)
    signup_link_max_age_seconds: int = Field(default=24 * 3600, ge=60)
    # Where the platform is reached (https://academy.example.org): the links in emails
    # point there, and it is an accepted Origin. Empty: the request's own address.
    public_url: str = ""
    hsts_seconds: int = Field(default=365 * 24 * 3600, ge=0)  # production only; 0 turns it off
    # Email. No host: messages go to the outbox in the database (admins read it at
    # /admin/outbox), which is what development wants.
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "Leadworks Academy <no-reply@localhost>"
    smtp_starttls: bool = True
    smtp_ssl: bool = False  # implicit TLS from the first byte (port 465); STARTTLS is then moot
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Certificates (Open Badges 3.0, docs/credentials.md). The Ed25519 signing key: a PEM
    # in LEADWORKS_CREDENTIAL_PRIVATE_KEY, else this file (made once, mode 0600; default
    # <data_dir>/keys/credential-ed25519.pem). Keep it out of backups that leave the host.
    credential_private_key: SecretStr = SecretStr("")
    credential_key_file: Path | None = None
    credential_valid_days: int = Field(default=3 * 365, ge=1, le=20 * 365)
    # The completion rule's parts in force (leadworks/credentials/rule.py names them). The
    # default is the whole published rule; a part the platform cannot check yet is never met.
    credential_rule: list[str] = Field(
        default=["lessons", "checkpoints", "final_exam", "capstone", "mock_interview"]
    )
    capstone_exercise: str = "capstone-local-gyms"
    capstone_pass_percent: float = Field(default=70.0, ge=0, le=100)
    # The mock interview's pass mark (a graded ``interview`` exercise, e.g. mock-interview).
    interview_pass_percent: float = Field(default=70.0, ge=0, le=100)
    sql_echo: bool = False
    # glibc gives every thread that allocates its own heap ("arena"); a worker's thread
    # pool then keeps many half-empty heaps. Two arenas cost no measurable speed and kept
    # the 20-learner benchmark's worker about 20 MB smaller. 0 leaves glibc's default.
    malloc_arenas: int = Field(default=2, ge=0, le=64)
    # Each worker's cache of live sandboxes: at most this much memory (about), and at most
    # this many runs. A run that falls out is refolded from its log when next used.
    sandbox_cache_mb: int = Field(default=512, ge=1)
    sandbox_cache_runs: int = Field(default=48, ge=1)
    # Each worker's cache of generated worlds (simulator.world_cache): a run refolded,
    # replayed or checked again reuses its world instead of regenerating it. Worlds held
    # by cached sandboxes are the same objects, so this costs memory only beyond them.
    world_cache_mb: int = Field(default=128, ge=0)
    world_cache_worlds: int = Field(default=32, ge=0)
    # A run's state is stored (run_snapshot) every this many events, so that a worker that
    # has never seen a long run resumes it from there instead of refolding its whole log;
    # 0 stores none (every first sight refolds).
    snapshot_every: int = Field(default=1_000, ge=0)
    # The largest request body accepted, in bytes: a larger one is refused with 413 before
    # it is read (and before anyone is authenticated). The largest honest request, a
    # hand-in, is far below it.
    max_request_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)

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
        if self.env is Environment.production and self.smtp_host and not self.public_url:
            raise ValueError(
                "set LEADWORKS_PUBLIC_URL (https://your.host) in production: emailed links "
                "must not take their address from a request's Host header"
            )
        self.public_url = self.public_url.rstrip("/")
        if self.credential_key_file is None:
            self.credential_key_file = self.data_dir / "keys" / "credential-ed25519.pem"
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_development(self) -> bool:
        return self.env is Environment.development

    @property
    def sends_mail(self) -> bool:
        """True when messages go out through SMTP; False when they stay in the outbox."""
        return bool(self.smtp_host)
