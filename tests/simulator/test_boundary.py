"""The engine stays pure: importing every module of `simulator` pulls in no web, database,
template or command-line library and nothing of the platform (`leadworks`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = (
    "fastapi",
    "sqlmodel",
    "sqlalchemy",
    "jinja2",
    "starlette",
    "uvicorn",
    "typer",
    "leadworks",
)


def test_importing_every_engine_module_brings_nothing_forbidden() -> None:
    code = (
        "import importlib, json, pkgutil, sys, simulator;"
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(simulator.__path__, 'simulator.')];"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules = json.loads(out.stdout)
    assert "simulator.sandbox" in modules  # the walk really imported the engine
    leaked = [m for m in modules if m.split(".")[0] in FORBIDDEN]
    assert not leaked, leaked
