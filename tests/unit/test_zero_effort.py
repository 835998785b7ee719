"""No hand-in without real work in the run scores above 30%, on any exercise (issue #15).

Every exercise in course/exercises is played the laziest ways its deliverable's shape
allows: the clock run out or not, a generic or a well-formed text typed into the hand-in
box, a list of ids never researched, leads judged without a word to them. The grade comes
from the platform's own grading input (the run's work facts included), so a new exercise
is covered the day it is added.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from grader import grade
from leadworks.submissions.grading import grading_input_with_work
from simulator import ActionRefused, Sandbox, open_exercise

EXERCISES = sorted(
    p.stem for p in (Path(__file__).parents[2] / "course" / "exercises").glob("*.yaml")
)
GENERIC = "Hi, want to buy our product? Thanks."
WELL_FORMED = (
    "Hi {{first_name}}, I saw that {{company}} {{fact}}. Is {{pain}} on your list this"
    " quarter? We help teams like yours fix exactly that.\n\n{{sender_name}}\n"
    "{{sender_address}}\nReply stop to opt out."
)
LIMIT = 30.0


def _first(sb: Sandbox) -> str:
    """The first contact the CRM lets a learner write to (some have opted out)."""
    return next(c.id for c in sb.world.contacts if not sb.opted_out(c))


def _report(sb: Sandbox, *, blank: bool) -> None:
    try:
        sb.advance_clock(until="end")
    except ActionRefused:  # a pre-played exercise opens at its end
        pass
    stages = ("lead", "mql", "sql", "opportunity", "customer", "lost")
    figures: dict[str, Any] = {
        "stage_counts": dict.fromkeys(stages, 0),
        "conversion_rates": {},
        "reply_rate_by_channel": {},
        "cost_per_lead": None if blank else 0,
        "cost_per_acquisition": None if blank else 0,
    }
    sb.submit({"figures": figures, "analysis": "It went well and I would do more of the same."})


def _message(sb: Sandbox, body: str, *, send: bool) -> None:
    channel = sb.exercise.deliverable.channel or "email"
    subject = "Hello" if channel == "email" else None
    cid = _first(sb)
    if send:
        sb.send_message(cid, channel=channel, subject=subject, body=body)
    sb.submit({"channel": channel, "subject": subject, "body": body}, contact_id=cid)


def _sequence(sb: Sandbox, body: str) -> None:
    steps = [
        {"delay_days": d, "channel": "email", "subject": "Hello", "body": f"{body} ({n})"}
        for n, d in enumerate((0, 3, 3))
    ]
    sb.submit(
        {"steps": steps, "stop_on_reply": True, "stop_on_optout": True}, contact_id=_first(sb)
    )


def _prospects(sb: Sandbox, *, listed: bool) -> None:
    ids = [c.id for c in sb.world.contacts if c.truth.fits_icp and c.decision_maker][:25]
    if listed:
        sb.add_to_list(ids)
    sb.submit({"contact_ids": ids, "note": "they fit"})


def _qualification(sb: Sandbox, value: str) -> None:
    ids = [cid for cid, cs in sb.state.contacts.items() if cs.inbound]
    criteria = {
        k: {"value": value, "note": ""} for k in ("budget", "authority", "need", "timeline")
    }
    leads = [{"contact_id": i, "criteria": criteria, "decision": "nurture"} for i in ids]
    sb.submit({"framework": "bant", "leads": leads})


def _call(sb: Sandbox, *lines: str, dial: bool = True) -> None:
    """A live call to the first reachable decision maker: dialled or not, a few lines."""
    if dial:
        target = next(
            c for c in sb.world.contacts if c.phone and c.decision_maker and not sb.do_not_call(c)
        )
        sb.start_conversation(target.id)
        for line in lines:
            if sb.say(line)["ended"]:
                break
        if sb.state.call is not None:
            sb.end_conversation()
    sb.submit({})


def _handoff(sb: Sandbox, *, dial: bool) -> None:
    """A handoff with no held meeting behind it: invented facts, or honest blanks."""
    target = next(c for c in sb.world.contacts if c.decision_maker and c.phone)
    if dial:
        sb.advance_clock(hours=2)
        sb.start_conversation(target.id)
        sb.end_conversation()
        note = dict.fromkeys(("pains", "budget", "timeline", "current_vendor"), "Not discussed.")
    else:
        note = {"pains": "Needs more patients.", "budget": "$5,000", "current_vendor": "Weave"}
    sb.submit({**note, "next_meeting": "Tuesday 10am"}, contact_id=target.id)


LAZY: dict[str, dict[str, Callable[[Sandbox], None]]] = {
    "call": {
        "never dialled": lambda sb: _call(sb, dial=False),
        "dialled and hung up": lambda sb: _call(sb),
        "one generic line": lambda sb: _call(sb, GENERIC),
        "generic lines repeated": lambda sb: _call(sb, GENERIC, GENERIC, GENERIC),
    },
    "interview": {  # the same machinery: never started, hung up, one generic line, repeated
        "never started": lambda sb: _call(sb, dial=False),
        "started and hung up": lambda sb: _call(sb),
        "one generic line": lambda sb: _call(sb, GENERIC),
        "generic lines repeated": lambda sb: _call(sb, *[GENERIC] * 12),
    },
    "handoff": {
        "a note typed without a call": lambda sb: _handoff(sb, dial=False),
        "dialled, hung up, nothing to hand over": lambda sb: _handoff(sb, dial=True),
    },
    "report": {
        "blank costs": lambda sb: _report(sb, blank=True),
        "zeros": lambda sb: _report(sb, blank=False),
    },
    "outreach": {
        "generic, never sent": lambda sb: _message(sb, GENERIC, send=False),
        "well formed, never sent": lambda sb: _message(sb, WELL_FORMED, send=False),
        "generic, sent unresearched": lambda sb: _message(sb, GENERIC, send=True),
    },
    "sequence": {
        "generic": lambda sb: _sequence(sb, GENERIC),
        "well formed, never sent": lambda sb: _sequence(sb, WELL_FORMED),
    },
    "prospect_list": {
        "ids typed in": lambda sb: _prospects(sb, listed=False),
        "listed, never researched": lambda sb: _prospects(sb, listed=True),
    },
    "qualification": {
        "all unknown": lambda sb: _qualification(sb, "unknown"),
        "all yes": lambda sb: _qualification(sb, "yes"),
    },
}


@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_laziest_hand_in_of_every_exercise_scores_at_most_30_percent(exercise: str) -> None:
    kind = open_exercise(exercise, learner_id="lazy", attempt=1).exercise.kind
    assert kind in LAZY, f"no lazy hand-in written for kind {kind!r}: add one"
    for shape, play in LAZY[kind].items():
        sb = open_exercise(exercise, learner_id="lazy", attempt=1)
        play(sb)
        given = grading_input_with_work(sb)
        result = grade(given.kind, given.submission, given.context)
        assert result.percent <= LIMIT, (exercise, shape, result.to_dict())


def test_work_in_the_run_is_what_earns_the_outreach_grade() -> None:
    """The same email, researched and sent to a fitting decision maker, passes well."""
    sb = open_exercise("cold-email-dental", learner_id="worker", attempt=1)
    target = next(c for c in sb.world.contacts if c.truth.fits_icp and c.decision_maker and c.email)
    sb.view_profile(target.id)
    sb.send_message(target.id, channel="email", subject="{{company}}", body=WELL_FORMED)
    sb.advance_clock(until="end")
    sb.submit(
        {"channel": "email", "subject": "{{company}}", "body": WELL_FORMED}, contact_id=target.id
    )
    given = grading_input_with_work(sb)
    result = grade(given.kind, given.submission, given.context)
    assert result.check("work_sent").full_marks
    assert result.check("work_research").full_marks
    assert result.check("work_target").full_marks
    assert result.percent >= 60, result.to_dict()
    assert "Not credited" not in result.check("greeting").verdict


def test_a_blank_figure_never_matches() -> None:
    sb = open_exercise("capstone-local-gyms", learner_id="lazy", attempt=1)
    _report(sb, blank=True)
    given = grading_input_with_work(sb)
    result = grade(given.kind, given.submission, given.context)
    costs = {c.id: c for c in result.checks}.get("costs")
    assert costs is None or costs.points == 0
    assert result.check("goal_meetings").points == 0
    assert "0 meetings held against a goal of 4" in result.check("goal_meetings").verdict
