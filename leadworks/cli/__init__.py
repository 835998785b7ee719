"""The `leadworks` command: run the platform, manage the database, people and content.

Every command reads the same Settings as the server (LEADWORKS_* variables), and answers
bad input with a message naming the field and exit code 2, never a traceback. One module
per group of commands; this one only puts them together.
"""

from __future__ import annotations

import typer

from leadworks.cli import backups, database, grading, people, server
from leadworks.cli.world import register as register_world_commands

app = typer.Typer(
    help="Leadworks Academy: career training for lead generators.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(server.app)  # no name: its commands sit at the top level
app.add_typer(backups.app)  # `leadworks backup` and `leadworks restore`
app.add_typer(grading.app)
app.add_typer(database.db_app, name="db")
app.add_typer(database.demo_app, name="demo")
app.add_typer(people.users_app, name="users")
app.add_typer(people.cohorts_app, name="cohorts")
app.add_typer(database.course_app, name="course")

# The engine's author commands (market, simulate, calibrate, replay, play): leadworks/cli/world.py.
register_world_commands(app)
