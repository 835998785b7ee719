"""Follow-ups that tire: late answers, overtaken by the next email, cut from the 4th touch
(issue 13, item 2)."""

from __future__ import annotations

from dataclasses import replace

from simulator import Sandbox
from simulator.events import parse_iso
from simulator.exercises import build_world, exercise_spec
from simulator.response import PARAMS, Odds, late_reply_odds

from .conftest import GOOD_BODY, fixed_analyser

#: No quick replies and no opt-outs; a late answer almost certain.
LATE = replace(
    PARAMS,
    followup_yield=(0.0,) * 5,
    late_reply_share=1_000.0,
    unsubscribe_base=0.0,
    complaint_base=0.0,
)


def _sandbox(params: object = LATE) -> Sandbox:
    spec = exercise_spec("capstone-local-gyms")
    return Sandbox(build_world(spec, 11), spec, analyser=fixed_analyser, params=params)  # type: ignore[arg-type]


def _emailable(sb: Sandbox, n: int) -> list[str]:
    ids = [c.id for c in sb.world.contacts if c.email and c.truth.email_valid]
    return [i for i in ids if not sb.world.contact(i).truth.opted_out][:n]  # type: ignore[union-attr]


def test_late_odds_are_a_share_of_a_first_email_and_tire_from_the_fourth_touch() -> None:
    odds = Odds(1.0, 0.5, 0.01, 0.0, 0.0, {"fit": 1.0, "follow_up": 0.1})
    first = late_reply_odds(odds, 1)
    assert first == PARAMS.email_reply_base * PARAMS.late_reply_share  # follow-up factor out
    assert late_reply_odds(odds, 3) == first
    assert late_reply_odds(odds, 4) == first * PARAMS.late_reply_fatigue


def test_a_quiet_thread_is_answered_days_later() -> None:
    sb = _sandbox()
    ids = _emailable(sb, 10)
    for contact_id in ids:
        sb.send_message(contact_id, channel="email", subject="Hi", body=GOOD_BODY)
    sent_at = sb.state.clock
    assert not [e for e in sb.advance_clock(days=3) if e.type == "replied"]
    late = [e for e in sb.advance_clock(days=20) if e.type == "replied"]
    assert late and all(e.data["late"] for e in late)
    assert all(parse_iso(e.at) - sent_at >= PARAMS.late_reply_min_days * 86_400 for e in late)


def test_a_newer_email_overtakes_the_late_answer() -> None:
    sb = _sandbox()
    contact_id = _emailable(sb, 1)[0]
    sb.send_message(contact_id, channel="email", subject="Hi", body=GOOD_BODY)
    sb.advance_clock(days=2)
    second = sb.send_message(contact_id, channel="email", subject="Re: Hi", body=GOOD_BODY)
    sb.advance_clock(until="end")
    replies = [e for e in sb.events if e.type == "replied"]
    assert len(replies) <= 1
    assert all(e.data["cause"] == second.seq for e in replies)


def test_a_fourth_email_costs_the_late_answers_it_overtakes() -> None:
    """Same contacts, same odds: three emails leave more answers than five."""

    def answered(emails: int) -> int:
        sb = _sandbox(replace(LATE, late_reply_share=10.0))
        ids = _emailable(sb, 60)
        for _ in range(emails):
            for contact_id in ids:
                cs = sb.state.contacts.get(contact_id)
                if cs is None or not (cs.replied or cs.unsubscribed or cs.complained):
                    sb.send_message(contact_id, channel="email", subject="Hi", body=GOOD_BODY)
            sb.advance_clock(days=3)
        sb.advance_clock(until="end")
        return sum(1 for e in sb.events if e.type == "replied")

    assert answered(3) > answered(5)


def test_the_debrief_names_the_fatigue_of_a_fourth_email() -> None:
    from simulator.debrief import debrief

    sb = _sandbox(PARAMS)
    contact_id = _emailable(sb, 1)[0]
    for _ in range(4):
        sb.send_message(contact_id, channel="email", subject="Hi", body=GOOD_BODY)
        sb.advance_clock(days=3)
    sb.submit({"figures": {}, "analysis": "four emails"})
    touches = next(d for d in debrief(sb) if d["contact_id"] == contact_id)["touches"]
    assert all("p_late" in t for t in touches)
    assert any("4th email" in r for r in touches[3]["reasons"])
    assert not any("4th email" in r for t in touches[:3] for r in t["reasons"])
