"""simulator.world stays pure: no web, database or template libraries, no other simulator.*."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("fastapi", "sqlmodel", "sqlalchemy", "jinja2", "starlette", "uvicorn")


def test_importing_the_world_brings_nothing_forbidden() -> None:
    code = (
        "import json, sys; import simulator.world, simulator.world.commands;"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    modules = json.loads(out.stdout)
    leaked = [m for m in modules if m.split(".")[0] in FORBIDDEN]
    assert not leaked, leaked
    others = [
        m for m in modules if m.startswith("simulator.") and not m.startswith("simulator.world")
    ]
    assert not others, others
