"""The engine's modules stay small enough to read in one sitting (about 400 lines)."""

from __future__ import annotations

from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "simulator"
LIMIT = 400


def test_no_engine_module_is_over_the_limit() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in ENGINE.rglob("*.py")}
    assert len(sizes) > 10, "found no engine modules"
    assert {name: n for name, n in sizes.items() if n > LIMIT} == {}
