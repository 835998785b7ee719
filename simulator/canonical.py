"""Canonical JSON: the byte form that digests and "byte-identical" promises refer to."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, ASCII only: the same bytes on every machine and Python."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def digest(value: Any) -> str:
    """sha256 of the canonical JSON, as hex."""
    return hashlib.sha256(canonical_json(value).encode("ascii")).hexdigest()
