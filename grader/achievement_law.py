"""The run's violations, as the grader's compliance checks read them.

The platform passes the violations the world recorded (``work["violations"]``: kind, the
contact, a detail, and from issue 13 the rule's id, its basis, "law" or "policy", and its
primary source). The grader never imports the simulator: these helpers read that plain
data. A broken law weighs fully, a breach of company policy (a calling window where the law
sets none) half; the advice names the rules broken and where they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from grader.results import Check, Evidence

#: what to do instead, per kind of violation (the advice quotes the first two kinds broken)
ADVICE: Mapping[str, str] = {
    "call_outside_hours": "call inside the window of the prospect's own time zone",
    "call_registered_number": "screen numbers against the do-not-call registers (TPS/CTPS,"
    " the National DNC Registry or DNCL) before you dial",
    "call_cap_exceeded": "respect a state's cap on calls (Florida: 3 in 24 hours)",
    "do_not_call": "never call someone who asked not to be called",
    "email_without_consent": "email only with the consent the prospect's law asks (CASL,"
    " PECR for sole traders and partnerships, the Spam Act)",
    "email_without_opt_out": "give every email an opt-out line",
    "email_without_postal_address": "put your postal address under every email",
    "email_without_contact_method": "add a phone number or web address beside the mailing"
    " address (CASL)",
}
POLICY_WEIGHT = 0.5


def violations_of(work: Mapping[str, Any], contact_ids: Iterable[str] | None = None) -> list[Any]:
    """The run's violations (mappings only), optionally those about ``contact_ids``."""
    found = [v for v in work.get("violations") or [] if isinstance(v, Mapping)]
    if contact_ids is None:
        return found
    wanted = set(contact_ids)
    return [v for v in found if str(v.get("contact_id")) in wanted]


def weight(violations: Sequence[Mapping[str, Any]]) -> float:
    """How much the violations count: a law fully, company policy half."""
    return sum(POLICY_WEIGHT if v.get("basis") == "policy" else 1.0 for v in violations)


def summary(violations: Sequence[Mapping[str, Any]]) -> str:
    """``2 x email without consent (CASL s.6(1) ...), 1 x call outside hours (policy)``."""
    counts: dict[str, list[Mapping[str, Any]]] = {}
    for v in violations:
        counts.setdefault(str(v.get("label") or v.get("kind")), []).append(v)
    parts = []
    for kind, found in sorted(counts.items()):
        first = found[0]
        source = str(first.get("source") or "")
        basis = " (company policy)" if first.get("basis") == "policy" else ""
        where = f" ({source.split(';')[0]})" if source and not basis else basis
        parts.append(f"{len(found)} x {kind.replace('_', ' ')}{where}")
    return ", ".join(parts)


def advice(violations: Sequence[Mapping[str, Any]]) -> str:
    """One sentence: what to do instead, for the kinds broken most often first."""
    kinds: dict[str, int] = {}
    for v in violations:
        kinds[str(v.get("kind"))] = kinds.get(str(v.get("kind")), 0) + 1
    ranked = sorted(kinds, key=lambda k: (-kinds[k], k))
    tips = [ADVICE[k] for k in ranked if k in ADVICE][:2]
    return ("; ".join(tips) or "follow the rules of the prospect's country").capitalize() + "."


def capped(check: Check, violations: Sequence[Mapping[str, Any]]) -> Check:
    """A hand-in's compliance check once the run's violations about it are read: a broken
    law on the prospect the hand-in names costs the whole check, a policy breach half."""
    if not violations:
        return check
    share = max(0.0, 1.0 - weight(violations))
    points = min(check.points, round(check.possible * share, 4))
    ids = sorted({str(v.get("contact_id")) for v in violations})
    return replace(
        check,
        points=points,
        verdict=f"{check.verdict} In the run: {summary(violations)}.",
        advice=advice(violations),
        evidence=check.evidence + (Evidence.records(ids[:20], "contacts"),),
    )
