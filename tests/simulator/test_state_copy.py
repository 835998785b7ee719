"""Copy-on-write copies every field of the state (``Sandbox.fork`` depends on it).

``ContactState.copy`` and ``SandboxState.copy`` are written out field by field for speed,
so a field added later and left out of ``copy`` would silently vanish from every fork:
a copy that caught up with its log would then differ from the live sandbox.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import MISSING, fields
from typing import Any

import pytest

from simulator.state import ContactState, SandboxState


def _marked(cls: type, skip: set[str]) -> tuple[Any, dict[str, Any]]:
    """An instance with every field set to a value no default has."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in skip:
            continue
        if f.default_factory is not MISSING:
            empty = f.default_factory()
            marker: Any = (
                Counter({f.name: 1})
                if isinstance(empty, Counter)
                else {f.name: [f.name]}
                if isinstance(empty, dict)
                else {f.name}
                if isinstance(empty, set)
                else [f.name]
            )
        else:
            marker = f"marker-{f.name}"
        values[f.name] = marker
    return cls(**values), values


@pytest.mark.parametrize("cls", [ContactState, SandboxState])
def test_copy_carries_every_field(cls: type) -> None:
    skip = {"shared", "contacts"} if cls is SandboxState else set()
    original, values = _marked(cls, skip)
    twin = original.copy()
    for name, value in values.items():
        assert getattr(twin, name) == value, f"{cls.__name__}.copy() drops {name}"
        if isinstance(value, (dict, set, list)) and name != "qualification":
            assert getattr(twin, name) is not getattr(original, name), f"{name} is shared"
