"""`leadworks serve`: the whole platform (pages, API, course site) under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from leadworks.cli.common import err, out, settings_or_exit

app = typer.Typer()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port (the Makefile passes $PORT).", min=1, max=65535)
    ] = 8000,
    workers: Annotated[
        int, typer.Option(help="Worker processes (use PostgreSQL for more than one).", min=1)
    ] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Serve the whole platform (pages, API, course site)."""
    import uvicorn

    from leadworks.demo import DEMO_PASSWORD, demo_logins

    settings = settings_or_exit()
    if workers > 1 and settings.is_sqlite:
        err.print("warning: several workers on SQLite serialise writes; prefer PostgreSQL.")
    if not (settings.course_site_dir / "index.html").exists():
        err.print("note: the course site is not built; run `leadworks course build` for /course/.")
    out.print(f"\nLeadworks Academy is starting at [bold]http://{host}:{port}[/bold]")
    if settings.is_development:
        table = Table(title=f"Demo logins (password: {DEMO_PASSWORD})", show_edge=False)
        table.add_column("role")
        table.add_column("email")
        for role, email in demo_logins():
            table.add_row(role, email)
        out.print(table)
    out.print(f"Database: {settings.database_url}\n")
    uvicorn.run(
        "leadworks.asgi:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        log_level="info",
    )
