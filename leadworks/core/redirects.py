"""Where a form may send the browser next: one check for every ``next`` field and parameter.

A ``next`` value comes from the client, so it is only followed when it is a path on this
site under the prefix the caller allows (a run's pages, the counselor workspace...):
never another host (``//evil.example``, ``\\\\evil``, ``https:``), never a control character.
"""

from __future__ import annotations

import re

_LOCAL_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9_\-./~%]*(\?[A-Za-z0-9_\-=&%.+~/]*)?(#[\w\-]*)?$")


def safe_next(target: str | None, default: str, *, within: str = "/") -> str:
    """``target`` when it is a local path starting with ``within``, else ``default``."""
    if target and _LOCAL_PATH.match(target) and _under(target, within):
        return target
    return default


def _under(target: str, within: str) -> bool:
    """``/sandbox/runs/3/lists`` is under ``/sandbox/runs/3``; ``/sandbox/runs/31`` is not."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    return (
        within.endswith("/")
        and path.startswith(within)
        or (path == within or path.startswith(within + "/"))
    )
