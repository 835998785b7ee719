"""Unfilled merge fields: what a mail-merge tool leaves behind when a value is missing.

Only template syntax counts, so the gate fires on real mistakes and on nothing else:

- braces and tool markers: ``{{first_name}}``, ``{!Contact.FirstName}``, ``{FirstName}``,
  ``*|FNAME|*``, ``%FIRSTNAME%``, ``$name``, ``${company}``;
- a field name written as a field: ``[First Name]``, ``<COMPANY>``, ``first_name``,
  ``FirstName`` -- brackets and tags count only when the words inside name a record field
  (``[PDF]``, ``[sic]``, ``[1]`` and HTML tags are ordinary text);
- a record id where a name belongs (``ACC-004213``, ``cmp_48213``, ``0031a00000XyZ12``).

Field words are the names of the fields a prospect record has (the grader's own context
schema plus the usual CRM columns), not phrases of any message.
"""

from __future__ import annotations

import re

from grader.text import Span

#: Words that name a field of a prospect record.
FIELD_WORDS = frozenset(
    """
    first last full given family sur surname name names fname lname firstname lastname
    company companyname organisation organization org account business practice firm
    title job role position industry city town country state region email phone mobile
    website domain contact prospect lead sender recipient your my custom field insert
    pain fact product offer date day time
    """.split()
)
#: Of those, the ones that are never plain words in brackets ("[Your ...]" is an aside).
_KEY_FIELD_WORDS = FIELD_WORDS - {"your", "my", "insert", "date", "day", "time", "custom"}

_TEMPLATE_RE = re.compile(
    r"\{\{[^{}\n]{0,60}\}\}"
    r"|\{![^{}\n]{1,60}\}"
    r"|\{[A-Za-z_][\w .]{0,40}\}"
    r"|\*\|[A-Za-z0-9_]{1,30}\|\*"
    r"|%[A-Za-z_][A-Za-z0-9_]{0,30}%"
    r"|(?<![\w$])\$\{?[A-Za-z_][A-Za-z0-9_]{0,30}\}?"
)
_BRACKET_RE = re.compile(r"\[([^\[\]\n]{1,40})\](?!\()|<([A-Za-z_][A-Za-z _]{0,30})>")
_SNAKE_RE = re.compile(r"(?<![\w.@/])[a-z]+(?:_[a-z]+)+(?![\w@/])")
_CAMEL_RE = re.compile(r"(?<![\w.@/])[A-Z][a-z]+(?:[A-Z][a-z]+)+(?![\w@/])")
_ID_RE = re.compile(r"(?<![\w.@/#-])[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*(?![\w@/-])")
_CAMEL_PART_RE = re.compile(r"[A-Z][a-z]+")


def merge_fields(text: str) -> list[Span]:
    """Every unfilled placeholder in ``text``, in order."""
    found = [Span(m.start(), m.end()) for m in _TEMPLATE_RE.finditer(text)]
    for m in _BRACKET_RE.finditer(text):
        if _names_a_field(m.group(1) or m.group(2)):
            found.append(Span(m.start(), m.end()))
    for m in _SNAKE_RE.finditer(text):
        if any(part in _KEY_FIELD_WORDS for part in m.group().split("_")):
            found.append(Span(m.start(), m.end()))
    for m in _CAMEL_RE.finditer(text):
        parts = [p.lower() for p in _CAMEL_PART_RE.findall(m.group())]
        if all(p in FIELD_WORDS for p in parts) and any(p in _KEY_FIELD_WORDS for p in parts):
            found.append(Span(m.start(), m.end()))
    found += [Span(m.start(), m.end()) for m in _ID_RE.finditer(text) if is_record_id(m.group())]
    return _disjoint(found)


#: A bracket that tells the writer what to put there ("[insert topic]", "[add pain]").
_INSTRUCTIONS = frozenset({"insert", "add", "enter", "put", "fill", "include", "mention", "choose"})


def _names_a_field(inside: str) -> bool:
    """``First Name``, ``COMPANY``, ``company name``: every word a field word, one a key;
    or an instruction to the writer (``insert topic``)."""
    parts = [p for p in re.split(r"[\s_.:/-]+", inside.strip().lower()) if p]
    if not parts or len(parts) > 5:
        return False
    if parts[0] in _INSTRUCTIONS and len(parts) > 1:
        return True
    key = any(p in _KEY_FIELD_WORDS for p in parts)
    fieldish = sum(p in FIELD_WORDS or p in ("of", "the", "s") for p in parts)
    return key and fieldish >= len(parts) - 1


def is_record_id(token: str) -> bool:
    """A database id rather than a word or a figure: letters and 5+ digits mixed
    (``ACC-004213``), a ``word_123`` key, or a long run mixing case and digits."""
    digits = sum(c.isdigit() for c in token)
    letters = sum(c.isalpha() for c in token)
    if not letters or digits < 3:
        return False
    if re.fullmatch(r"[a-z]+_\d+", token):
        return True
    if digits >= 5:
        return True
    mixed_case = any(c.islower() for c in token) and any(c.isupper() for c in token)
    return len(token) >= 12 and mixed_case


def _disjoint(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(set(spans)):
        if out and s.start < out[-1].end:
            continue
        out.append(s)
    return out
