"""The grader stays a pure library: importing it pulls in no web, database or simulator code."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

FORBIDDEN = ("fastapi", "sqlmodel", "sqlalchemy", "jinja2", "simulator", "course", "starlette")


@pytest.mark.parametrize(
    "statement", ["import grader", "import grader.cli", "import grader.outreach"]
)
def test_importing_the_grader_loads_nothing_forbidden(statement: str) -> None:
    code = (
        f"{statement}\n"
        "import json, sys\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert "grader" in loaded
    assert loaded.isdisjoint(FORBIDDEN), sorted(loaded & set(FORBIDDEN))
