"""Download headers that every client can read, whatever the file's name is written in.

HTTP headers are Latin-1 at most, so a name like "gradebook-東京-2026.csv" cannot go into
``filename="..."`` as it is (Starlette fails to encode it: a 500). RFC 6266 says to send
both: an ASCII ``filename`` for old clients and ``filename*=UTF-8''...`` (RFC 5987
percent-encoding) for the real name, which every current browser prefers.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_filename(name: str, fallback: str = "download") -> str:
    """The name in plain ASCII letters, digits, dots, dashes and underscores."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = _UNSAFE_ASCII.sub("-", folded)
    cleaned = re.sub(r"-{2,}", "-", cleaned).strip("-.")
    return cleaned or fallback


def attachment(filename: str) -> dict[str, str]:
    """A ``Content-Disposition`` header for ``filename``: ASCII plus its UTF-8 form."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    plain = ascii_filename(stem) + (f".{ascii_filename(extension, 'bin')}" if extension else "")
    value = f'attachment; filename="{plain}"'
    if plain != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return {"Content-Disposition": value}
