"""The outreach evaluation set, and how well the grader agrees with it.

``grader/evalset/`` holds outreach messages written for the set, each labelled good or
bad with a one-line reason and its source (docs/evaluation.md). A grader that agrees with
expert judgement ranks every good message above every bad one: the area under the ROC
curve (AUC) is the share of (good, bad) pairs it orders right, ties counting half.

``python -m grader eval`` prints the AUC overall, per channel and per check, for the
tuning share and the held-out share (six whole prospects written after tuning), the
gaming messages that score too high, and the worst misorderings.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from grader.outreach.grading import assess, build_grade
from grader.outreach.inputs import Message, read_context
from grader.results import Check

#: Prospects whose messages were held out of tuning: the second held-out share, written
#: after the rubric was tuned and graded once (docs/evaluation.md tells the history of
#: the first share, which was consulted and is now part of tuning).
HELD_OUT_PROSPECTS = frozenset(
    {
        "dental-glasgow",
        "realty-cork",
        "saas-berlin",
        "insurance-leeds",
        "coaching-bristol",
        "bakery-york",
    }
)
#: A gaming message must not score above this percentage.
GAMING_CEILING = 55.0
#: The AUC the set must reach (tests fail under it).
AUC_FLOOR = 0.90
_OPT_OUTS = (
    'Not relevant? Reply "no" and I won\'t write again.',
    "If you'd rather not hear from me, just reply stop.",
    "Reply unsubscribe and I won't contact you again.",
)


@dataclass(frozen=True)
class Case:
    """One labelled message with its context."""

    id: str
    prospect: str
    channel: str
    good: bool
    gaming: bool
    style: str
    reason: str
    message: Message
    context: dict[str, Any]
    first_touch: bool

    @property
    def held_out(self) -> bool:
        return self.prospect in HELD_OUT_PROSPECTS


@dataclass(frozen=True)
class Scored:
    case: Case
    percent: float
    checks: dict[str, float]  # check id -> share of its points before gates


def load_cases() -> list[Case]:
    """Every message of the set, in file order."""
    folder = resources.files("grader") / "evalset"
    meta = yaml.safe_load((folder / "prospects.yaml").read_text(encoding="utf-8"))
    cases: list[Case] = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("messages-") and entry.name.endswith(".yaml"):
            for raw in yaml.safe_load(entry.read_text(encoding="utf-8")):
                cases.append(_case(raw, meta, len(cases)))
    return cases


def _case(raw: dict[str, Any], meta: dict[str, Any], n: int) -> Case:
    spec = meta["prospects"][raw["prospect"]]
    sender = meta["senders"][spec["sender"]]
    context = {"prospect": spec["prospect"], "sender": sender, "offer": spec["offer"]}
    body = raw["body"].rstrip("\n")
    if raw["channel"] == "email" and raw.get("footer", True):
        body += f"\n{sender['postal_address']}\n{_OPT_OUTS[n % len(_OPT_OUTS)]}"
    message = Message(raw["channel"], raw.get("subject"), body)
    return Case(
        id=raw["id"],
        prospect=raw["prospect"],
        channel=raw["channel"],
        good=raw["label"] == "good",
        gaming=bool(raw.get("gaming", False)),
        style=raw["style"],
        reason=raw["reason"],
        message=message,
        context=context,
        first_touch=raw.get("first_touch", True),
    )


def score(case: Case) -> Scored:
    ctx = read_context(case.context)
    a = assess(case.message, ctx, first_touch=case.first_touch)
    grade = build_grade(a, ctx)
    shares = {
        k: round(c.points / c.possible, 4) for k, c in a.checks.items() if isinstance(c, Check)
    }
    return Scored(case, grade.percent, shares)


def auc(pairs: Iterable[tuple[float, bool]]) -> float | None:
    """Area under the ROC curve: the share of (good, bad) pairs ranked right, ties half."""
    items = list(pairs)
    good = [s for s, g in items if g]
    bad = [s for s, g in items if not g]
    if not good or not bad:
        return None
    wins = sum(1.0 if g > b else 0.5 if g == b else 0.0 for g in good for b in bad)
    return round(wins / (len(good) * len(bad)), 3)


@dataclass(frozen=True)
class Report:
    overall: float | None
    by_channel: dict[str, float | None]
    by_check: dict[str, float | None]
    gaming_over: list[Scored]
    misorderings: list[tuple[Scored, Scored]]
    n: int


def report(scored: Sequence[Scored], worst: int = 8) -> Report:
    by_channel = {
        ch: auc((s.percent, s.case.good) for s in scored if s.case.channel == ch)
        for ch in ("email", "linkedin", "call")
    }
    check_ids = sorted({k for s in scored for k in s.checks})
    by_check = {
        k: auc((s.checks[k], s.case.good) for s in scored if k in s.checks) for k in check_ids
    }
    goods = [s for s in scored if s.case.good]
    bads = [s for s in scored if not s.case.good]
    wrong = sorted(
        ((b, g) for b in bads for g in goods if b.percent >= g.percent),
        key=lambda p: p[1].percent - p[0].percent,
    )
    return Report(
        overall=auc((s.percent, s.case.good) for s in scored),
        by_channel=by_channel,
        by_check=by_check,
        gaming_over=[s for s in scored if s.case.gaming and s.percent > GAMING_CEILING],
        misorderings=wrong[:worst],
        n=len(scored),
    )


def render(name: str, r: Report) -> str:
    def f(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.3f}"

    lines = [f"{name}: {r.n} messages, AUC {f(r.overall)}"]
    lines.append("  per channel: " + ", ".join(f"{k} {f(v)}" for k, v in r.by_channel.items()))
    lines.append("  per check:   " + ", ".join(f"{k} {f(v)}" for k, v in r.by_check.items()))
    lines.append(f"  gaming messages over {GAMING_CEILING:g}%: {len(r.gaming_over)}")
    lines.extend(f"    {s.case.id} ({s.case.style}): {s.percent:g}%" for s in r.gaming_over)
    lines.append("  worst misorderings (bad scored at or above good):")
    for b, g in r.misorderings:
        lines.append(
            f"    {b.case.id} bad {b.percent:g}% ({b.case.style}) >= "
            f"{g.case.id} good {g.percent:g}% ({g.case.style})"
        )
    if not r.misorderings:
        lines.append("    none")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m grader eval``: print the agreement figures (exit 1 under the floor)."""
    parser = argparse.ArgumentParser(prog="python -m grader eval", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worst", type=int, default=8, help="misorderings to list (8)")
    args = parser.parse_args(argv)
    scored = [score(c) for c in load_cases()]
    parts = {
        "all": scored,
        "tuning": [s for s in scored if not s.case.held_out],
        "held-out": [s for s in scored if s.case.held_out],
    }
    reports = {k: report(v, args.worst) for k, v in parts.items()}
    if args.json:
        print(json.dumps({k: _as_dict(r) for k, r in reports.items()}, indent=2))
    else:
        print("\n\n".join(render(k, r) for k, r in reports.items()))
    r = reports["all"]
    return 0 if (r.overall or 0) >= AUC_FLOOR and not r.gaming_over else 1


def _as_dict(r: Report) -> dict[str, Any]:
    return {
        "messages": r.n,
        "auc": r.overall,
        "auc_by_channel": r.by_channel,
        "auc_by_check": r.by_check,
        "gaming_over_ceiling": [{"id": s.case.id, "percent": s.percent} for s in r.gaming_over],
        "worst_misorderings": [
            {
                "bad": b.case.id,
                "bad_percent": b.percent,
                "good": g.case.id,
                "good_percent": g.percent,
            }
            for b, g in r.misorderings
        ],
    }
