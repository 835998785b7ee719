"""What every command shares: the console, the settings, a database session, and one way
to fail (a message naming the field and exit code 2, never a traceback)."""

from __future__ import annotations

import typer
from rich.console import Console
from sqlmodel import Session

from leadworks.core.config import Settings
from leadworks.core.db import make_engine
from leadworks.core.errors import UserError

out = Console()
err = Console(stderr=True)


def settings_or_exit() -> Settings:
    """The settings from the environment, or exit 2 saying what is wrong with them."""
    try:
        return Settings()
    except ValueError as error:
        err.print(f"[red]error:[/red] configuration: {error}")
        raise typer.Exit(2) from None


def fail(error: UserError) -> typer.Exit:
    field = f"{error.field}: " if error.field else ""
    err.print(f"error: {field}{error.message}")
    return typer.Exit(2)


class Db:
    """A session for one CLI command, with the engine disposed afterwards."""

    def __init__(self) -> None:
        self.settings = settings_or_exit()
        self.engine = make_engine(self.settings)

    def __enter__(self) -> Session:
        self.session = Session(self.engine, expire_on_commit=False)
        return self.session

    def __exit__(self, *exc: object) -> None:
        self.session.close()
        self.engine.dispose()
