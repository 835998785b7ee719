"""docs/simulator.md documents every parameter of the response model with its source."""

from __future__ import annotations

from pathlib import Path

from simulator.response import SOURCES, parameter_names

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulator.md"


def test_every_parameter_has_a_source_and_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in parameter_names():
        assert SOURCES.get(name), f"{name} has no source"
        assert f"`{name}`" in text, f"{name} missing from docs/simulator.md"
