"""Compliance triage of a contact list: email, call, both or neither, and a call plan.

The drill (``course/drills/compliance-triage-list.yaml``) gives contacts in the UK, the US
and Canada with their legal form, phone line, register status, consent on record and time
zone. The learner decides the first touch for each (``rows.<id>.action``: ``both``,
``email only``, ``call only``, ``neither``) with a reason, and writes a call plan, one line
per call as ``<id> <day> <HH:MM>`` in the office's time (``texts.plan``).

The hidden key says, per contact, whether email and a call are lawful, the rule that
decides each (id, summary and source, from the engine's law table: a test keeps them equal
to ``simulator/law.py`` and ``simulator/calling_hours.py``), the calling hours that apply
and the contact's UTC offset that week. The costliest mistakes each cost a large share of
their check: an email the law forbids (a UK sole trader without consent, a lapsed CASL
consent), a call to a registered number, a planned call outside the window that applies.
Every piece of evidence quotes the learner's row or plan line with the rule and its source.

Blind answers earn nothing (issue #15): "neither" on every row breaks no law but reaches
no one, so the two lawful-channel checks count only as far as the lawful channel is used
(the share of contacts who may be emailed, or called, that get it); ``lawful_reach`` is
graded above what the best single action on every row gets
(:func:`grader.drill_input.above_chance`), and a reason counts only beside the right action,
as far as ``lawful_reach`` is above chance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from grader.drill_input import (
    Drill,
    HandIn,
    above_chance,
    chance_text,
    constant_share,
    read_drill,
    read_hand_in,
)
from grader.fields import CONTEXT
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text, specs_by_id

RUBRIC_ID = "triage"
RUBRIC_VERSION = "1.1.0"

CHECKS = (
    CheckSpec("email_lawful", 25, "No email where the law forbids it (each one costs 35%)."),
    CheckSpec("call_lawful", 25, "No call to a number on a do-not-call register (each costs 35%)."),
    CheckSpec("plan_in_hours", 20, "Every planned call is lawful and inside its calling hours."),
    CheckSpec("lawful_reach", 15, "Each contact gets exactly the lawful first touch (share)."),
    CheckSpec("reasons", 15, "Each reason names the fact that decides the row (share)."),
)
SPECS = specs_by_id(CHECKS)
#: the share of a check one costly mistake takes away
MISTAKE_COST = 0.35
#: the share of the plan check a lawful contact you chose to call but never planned costs
UNPLANNED_COST = 0.05

ACTIONS = {
    "both": (True, True),
    "email only": (True, False),
    "call only": (False, True),
    "neither": (False, False),
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = r"(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_TIME = r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})"


@dataclass(frozen=True)
class Row:
    """One contact's key: what is lawful, why, the hours and the week's UTC offset."""

    id: str
    name: str
    email: bool
    call: bool
    email_rule: str
    call_rule: str
    hours: Mapping[str, str]
    utc_offset: int
    reason_terms: tuple[str, ...]
    why: str

    @property
    def action(self) -> str:
        return next(a for a, v in ACTIONS.items() if v == (self.email, self.call))


@dataclass(frozen=True)
class PlannedCall:
    item_id: str
    start: int  # where the line starts in the plan
    end: int
    weekday: int  # in the office's week, 0 = Monday
    minute: int  # minutes after the office's midnight


def _rows(drill: Drill) -> tuple[dict[str, Row], Mapping[str, object]]:
    key = drill.key
    rules = CONTEXT.mapping(key.get("rules"), "drill.key.rules")
    items = drill.items
    rows = {}
    for item_id, raw in CONTEXT.mapping(key.get("rows"), "drill.key.rows").items():
        r = CONTEXT.mapping(raw, f"drill.key.rows.{item_id}")
        item = items.get(item_id, {})
        rows[item_id] = Row(
            id=item_id,
            name=str(item.get("company", item_id)),
            email=bool(r.get("email")),
            call=bool(r.get("call")),
            email_rule=str(r.get("email_rule", "")),
            call_rule=str(r.get("call_rule", "")),
            hours=CONTEXT.mapping(r.get("hours"), f"drill.key.rows.{item_id}.hours"),  # type: ignore[arg-type]
            utc_offset=CONTEXT.integer(r.get("utc_offset"), f"drill.key.rows.{item_id}.utc_offset"),
            reason_terms=CONTEXT.text_list(r.get("reason_terms", []), "reason_terms"),
            why=str(r.get("why", "")),
        )
    return rows, rules


def _rule(rules: Mapping[str, object], rule_id: str) -> str:
    found = rules.get(rule_id)
    if isinstance(found, Mapping):
        return f"Rule {rule_id}: {found.get('summary', '')} ({found.get('source', '')})"
    return f"Rule {rule_id}"


def _quote_row(hand_in: HandIn, item_id: str, field: str, note: str) -> Evidence:
    text = hand_in.value(item_id, field)
    if not text:
        return Evidence.records([item_id], note)
    return Evidence.span(f"rows.{item_id}.{field}", text, 0, len(text), note)


def _note(row: Row, chose: str, rule: str) -> str:
    said = chose or "nothing"
    return (
        f"{row.id} {row.name}: you chose '{said}', the law allows '{row.action}': {row.why} {rule}."
    )


def _lawful_checks(
    hand_in: HandIn, rows: Mapping[str, Row], rules: Mapping[str, object]
) -> list[Check]:
    bad_email, bad_call, exact, off = [], [], 0, []
    for row in rows.values():
        chose = hand_in.value(row.id, "action")
        email, call = ACTIONS.get(chose, (False, False))
        if email and not row.email:
            bad_email.append(
                _quote_row(
                    hand_in, row.id, "action", _note(row, chose, _rule(rules, row.email_rule))
                )
            )
        if call and not row.call:
            bad_call.append(
                _quote_row(
                    hand_in, row.id, "action", _note(row, chose, _rule(rules, row.call_rule))
                )
            )
        if chose == row.action:
            exact += 1
        else:
            rule = row.email_rule if email != row.email else row.call_rule
            off.append(_quote_row(hand_in, row.id, "action", _note(row, chose, _rule(rules, rule))))
    total = len(rows)
    chance = constant_share(list(rows.values()), ACTIONS, lambda r, a: a == r.action)
    emailed, may_email = _used(hand_in, rows, 0)
    called, may_call = _used(hand_in, rows, 1)
    return [
        SPECS["email_lawful"].award(
            (1 - MISTAKE_COST * len(bad_email)) * _share(emailed, may_email),
            (f"{len(bad_email)} email(s) the law forbids." if bad_email else "No unlawful email.")
            + f" Emailed {ratio_text(emailed, may_email)} contacts the law lets you email;"
            " this check counts only as far as you use email where it is lawful.",
            "Check the legal form (UK) and the consent on record (UK, Canada) before any email;"
            " where email is lawful, use it.",
            bad_email,
        ),
        SPECS["call_lawful"].award(
            (1 - MISTAKE_COST * len(bad_call)) * _share(called, may_call),
            (
                f"{len(bad_call)} call(s) to registered numbers."
                if bad_call
                else "No call to a registered number."
            )
            + f" Called {ratio_text(called, may_call)} contacts the law lets you call;"
            " this check counts only as far as you call where it is lawful.",
            "A number on the TPS, CTPS, National DNC or DNCL gets no sales call; a number on"
            " none of them may be called.",
            bad_call,
        ),
        SPECS["lawful_reach"].award(
            above_chance(exact / total, chance) if total else 1.0,
            f"Exactly the lawful first touch for {ratio_text(exact, total)} contacts."
            + chance_text(chance),
            "Where the law allows both, use both: leaving a lawful channel unused costs replies.",
            off,
        ),
    ]


def _used(hand_in: HandIn, rows: Mapping[str, Row], channel: int) -> tuple[int, int]:
    """(contacts given the channel where it is lawful, contacts where it is lawful)."""
    lawful = [r for r in rows.values() if (r.email, r.call)[channel]]
    used = sum(1 for r in lawful if ACTIONS.get(hand_in.value(r.id, "action"), (0, 0))[channel])
    return used, len(lawful)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _reasons_check(hand_in: HandIn, rows: Mapping[str, Row], reach: float) -> Check:
    """Reasons beside the right action, counted as far as the actions are above chance."""
    good, judged, missing = 0, 0, []
    for row in rows.values():
        if hand_in.value(row.id, "action") != row.action:
            continue
        judged += 1
        reason = hand_in.value(row.id, "reason")
        terms = "|".join(re.escape(t) for t in row.reason_terms)
        if reason.strip() and terms and re.search(rf"(?<!\w)(?:{terms})(?!\w)", reason, re.I):
            good += 1
            continue
        note = f"{row.id} {row.name}: the deciding facts are: {row.why}"
        missing.append(_quote_row(hand_in, row.id, "reason", note))
    return SPECS["reasons"].award(
        _share(good, judged) * reach if judged else 0.0,
        f"{ratio_text(good, judged)} reasons beside the right action name the deciding fact;"
        " counted as far as the actions are above chance.",
        "Name the fact that decides each row: legal form, register, consent and its date; a"
        " reason beside the wrong action earns nothing.",
        missing or [Evidence.records(list(rows) if judged else ["(none)"], "reasons checked")],
    )


def parse_plan(plan: str, ids: tuple[str, ...]) -> list[PlannedCall]:
    """Each line naming a contact id, a day and a time is one planned call."""
    if not ids:
        return []
    who = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    line_re = re.compile(rf"(?<![\w-])(?P<id>{who})(?![\w-])\W+{_DAY}\W+{_TIME}", re.I)
    calls, offset = [], 0
    for line in plan.splitlines(keepends=True):
        found = line_re.search(line)
        if found and int(found["hour"]) < 24 and int(found["minute"]) < 60:
            item_id = next(i for i in ids if i.lower() == found["id"].lower())
            weekday = DAYS.index(found["day"][:3].lower())
            minute = int(found["hour"]) * 60 + int(found["minute"])
            text = line.rstrip("\r\n")
            calls.append(PlannedCall(item_id, offset, offset + len(text), weekday, minute))
        offset += len(line)
    return calls


def _window(row: Row, weekday: int) -> tuple[int, int] | None:
    name = "weekdays" if weekday < 5 else ("saturday" if weekday == 5 else "sunday")
    span = str(row.hours.get(name, "none"))
    found = re.fullmatch(r"(\d\d):(\d\d)-(\d\d):(\d\d)", span)
    if not found:
        return None
    a, b, c, d = (int(x) for x in found.groups())
    return a * 60 + b, c * 60 + d


def _local(call: PlannedCall, row: Row, office_offset: int) -> tuple[int, int]:
    """(weekday, minute) in the contact's own time."""
    minute = call.minute + row.utc_offset - office_offset
    weekday = (call.weekday + minute // 1440) % 7
    return weekday, minute % 1440


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _plan_check(
    hand_in: HandIn, rows: Mapping[str, Row], rules: Mapping[str, object], office: int
) -> Check:
    plan = hand_in.texts.get("plan", "")
    calls = parse_plan(plan, tuple(rows))
    spec = SPECS["plan_in_hours"]
    chosen = [r for r in rows.values() if ACTIONS.get(hand_in.value(r.id, "action"), (0, 0))[1]]
    if not calls:
        if not chosen:
            return spec.award(
                0,
                "No call planned and no contact chosen for a call.",
                "Plan one call for every contact you may call, inside their hours.",
            )
        return spec.award(
            0,
            "No line of the plan reads as a call (id day HH:MM).",
            "Write one line per call, e.g. 'c10 Tue 16:30', in the office's time.",
            [Evidence.records([r.id for r in chosen], "chosen for a call, never planned")],
        )
    bad: list[Evidence] = []
    for call in calls:
        row = rows[call.item_id]
        day, minute = _local(call, row, office)
        window = _window(row, day)
        where = f"{DAYS[day].capitalize()} {_hhmm(minute)} local"
        if not row.call:
            note = f"{row.id} {row.name} may not be called at all: {_rule(rules, row.call_rule)}."
        elif window is None or not window[0] <= minute < window[1]:
            hours = (
                "no calls that day" if window is None else f"{_hhmm(window[0])}-{_hhmm(window[1])}"
            )
            note = f"{row.id} {row.name}: {where}, outside {hours}. {_rule(rules, row.call_rule)}."
        else:
            continue
        bad.append(Evidence.span("texts.plan", plan, call.start, call.end, note))
    planned = {c.item_id for c in calls}
    unplanned = [r.id for r in chosen if r.call and r.id not in planned]
    # A plan counts only as far as it covers the contacts who may be called: one example
    # line (or the brief's) inside the hours is not a week's plan.
    callable_ids = [r.id for r in rows.values() if r.call]
    cover = _share(len(planned & set(callable_ids)), len(callable_ids))
    fraction = (1 - MISTAKE_COST * len(bad) - UNPLANNED_COST * len(unplanned)) * cover
    evidence = list(bad)
    if unplanned:
        evidence.append(Evidence.records(unplanned, "you chose to call them but planned no call"))
    verdict = (
        f"{len(bad)} of {len(calls)} planned calls break the law or the hours."
        if bad
        else f"All {len(calls)} planned calls are lawful and inside their hours."
    )
    if unplanned:
        verdict += f" {len(unplanned)} contact(s) chosen for a call have no slot."
    verdict += (
        f" The plan covers {ratio_text(len(planned & set(callable_ids)), len(callable_ids))}"
        " contacts the law lets you call, and counts as far as it covers them."
    )
    return spec.award(
        fraction,
        verdict,
        "Convert each slot to the contact's local time and check that day's window.",
        evidence,
    )


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    drill = read_drill(context)
    hand_in = read_hand_in(submission, drill)
    rows, rules = _rows(drill)
    key = drill.key
    office = CONTEXT.integer(key.get("office_utc_offset", 0), "drill.key.office_utc_offset")
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "triage", CHECKS)
    lawful = _lawful_checks(hand_in, rows, rules)
    for check in lawful[:2]:
        builder.add(check)
    builder.add(_plan_check(hand_in, rows, rules, office))
    builder.add(lawful[2])
    builder.add(_reasons_check(hand_in, rows, lawful[2].points / lawful[2].possible))
    return builder.build()
