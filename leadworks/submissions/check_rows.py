"""A stored grade's checks as the rows ``practice/_check.html`` shows: each check's
points, whether it got full or zero marks, its verdict and advice, and its evidence
(quotes from the learner's fields, or cited records).

Pages that resolve evidence further (the practice grade page links records to the
market's prospects and marks quotes in the text) build the evidence themselves and use
``check_row``; pages that show evidence as stored use ``check_rows``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from leadworks.submissions.labels import check_label


def _same(text: str) -> str:
    return text


def check_row(
    check: Mapping[str, Any],
    evidence: list[dict[str, Any]],
    *,
    check_id: str | None = None,
    words: Callable[[str], str] = _same,
) -> dict[str, Any]:
    """One check's row; ``words`` rewrites its verdict and advice (e.g. names for ids)."""
    points, possible = float(check.get("points") or 0), float(check.get("possible") or 0)
    return {
        "id": check["id"] if check_id is None else check_id,
        "name": check_label(check["id"]),
        "points": points,
        "possible": possible,
        "full": points >= possible - 1e-9,
        "zero": points <= 1e-9,
        "verdict": words(check.get("verdict", "")),
        "advice": words(check.get("advice", "")),
        "evidence": evidence,
    }


def stored_evidence(
    evidence: Mapping[str, Any],
    *,
    field_name: Callable[[str], str] = _same,
    record_name: Callable[[str], str] = _same,
) -> dict[str, Any]:
    """A piece of evidence as stored: a quote (its field named by ``field_name``) or the
    cited records (each named by ``record_name``, none linked)."""
    if evidence.get("field"):
        return {
            "kind": "quote",
            "field": field_name(evidence["field"]),
            "quote": evidence.get("quote", ""),
            "note": evidence.get("note", ""),
        }
    records = [
        {"id": r, "name": record_name(r), "href": None} for r in evidence.get("record_ids", [])
    ]
    return {"kind": "records", "records": records, "note": evidence.get("note", "")}


def check_rows(
    result: Mapping[str, Any],
    *,
    field_name: Callable[[str], str] = _same,
    record_name: Callable[[str], str] = _same,
) -> list[dict[str, Any]]:
    """A stored grade's checks, their evidence shown as stored."""
    return [
        check_row(
            check,
            [
                stored_evidence(ev, field_name=field_name, record_name=record_name)
                for ev in check.get("evidence", [])
            ],
        )
        for check in result.get("checks", [])
    ]
