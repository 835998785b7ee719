"""The sandbox: refusals leave the log alone, violations are recorded, replay equals live."""

from __future__ import annotations

import json

import pytest

from simulator import ActionRefused, ReplayError, Sandbox, open_exercise, replay_log
from simulator.events import iso, to_jsonl

from .conftest import GOOD_BODY, fixed_analyser
from .scripts import play_script


def _refused(sb: Sandbox, action: dict[str, object], field: str | None) -> ActionRefused:
    before = sb.events
    snapshot = sb.state.snapshot()
    with pytest.raises(ActionRefused) as info:
        sb.apply(action)
    assert sb.events == before, "a refused action must not touch the log"
    assert sb.state.snapshot() == snapshot
    assert info.value.field == field
    return info.value


def _opted_out(sb: Sandbox) -> str:
    return next(c.id for c in sb.world.contacts if c.truth.opted_out and c.email)


def test_invalid_actions_are_refused_without_touching_the_log(gyms: Sandbox) -> None:
    no_phone = next(c.id for c in gyms.world.contacts if c.phone is None)
    someone = gyms.world.contacts[0].id
    _refused(gyms, {"type": "view_profile", "contact_id": "p999999"}, "contact_id")
    _refused(gyms, {"type": "teleport"}, "type")
    _refused(
        gyms,
        {
            "type": "send_message",
            "contact_id": _opted_out(gyms),
            "channel": "email",
            "body": "Hello",
        },
        "contact_id",
    )
    _refused(
        gyms,
        {"type": "send_message", "contact_id": someone, "channel": "fax", "body": "Hello"},
        "channel",
    )
    _refused(gyms, {"type": "call", "contact_id": no_phone, "opener": "Hi"}, "contact_id")
    _refused(gyms, {"type": "spend", "channel": "search_ads", "amount": 1_000_000}, "amount")
    _refused(gyms, {"type": "spend", "channel": "search_ads", "amount": -5}, "amount")
    _refused(gyms, {"type": "change_stage", "contact_id": someone, "stage": "sql"}, "stage")
    _refused(gyms, {"type": "book_meeting", "contact_id": someone, "at": gyms.now}, "contact_id")
    _refused(gyms, {"type": "add_to_list", "contact_ids": [someone, "nobody"]}, "contact_ids[1]")
    _refused(gyms, {"type": "advance_clock", "until": "2020-01-01T00:00:00Z"}, "until")
    _refused(gyms, {"type": "search", "colour": "blue"}, "filters")


def test_linkedin_note_limit_and_pending_request(gyms: Sandbox) -> None:
    target = next(c for c in gyms.world.contacts if c.social and not c.truth.opted_out)
    too_long = {
        "type": "send_message",
        "contact_id": target.id,
        "channel": "linkedin",
        "body": "x" * 301,
    }
    _refused(gyms, too_long, "body")
    gyms.send_message(target.id, channel="linkedin", body="Hi {{first_name}}, let's connect.")
    again = {"type": "send_message", "contact_id": target.id, "channel": "linkedin", "body": "Hi"}
    assert "pending" in _refused(gyms, again, "contact_id").reason


def test_everything_is_refused_after_submit(gyms: Sandbox) -> None:
    gyms.submit({"figures": {}, "analysis": "nothing yet"})
    error = _refused(gyms, {"type": "advance_clock", "days": 1}, None)
    assert "submitted" in error.reason
    _refused(gyms, {"type": "submit", "submission": {}}, None)


def test_a_call_at_night_is_made_but_recorded_as_a_violation(gyms: Sandbox) -> None:
    target = next(
        c
        for c in gyms.world.contacts
        if c.phone and gyms.world.company_of(c).timezone == "America/Los_Angeles"
    )
    gyms.advance_clock(until="2025-03-04T10:00:00Z")  # 02:00 in Los Angeles
    result = gyms.call(target.id, opener="Hi, is this a good time?")
    assert result["legal_hours"] is False
    kinds = [v["kind"] for v in gyms.state.violations]
    assert "call_outside_hours" in kinds
    assert gyms.events[-1].type in ("violation", "call_result")


def test_an_email_without_opt_out_or_address_is_sent_with_violations(gyms: Sandbox) -> None:
    target = next(c for c in gyms.world.contacts if c.email and not c.truth.opted_out)
    gyms.send_message(target.id, channel="email", subject="Hi", body="Hi {{first_name}}, chat?")
    kinds = {v["kind"] for v in gyms.state.violations}
    assert kinds == {"email_without_opt_out", "email_without_postal_address"}
    assert gyms.state.counts["sent_email"] == 1


def test_outcomes_appear_only_when_the_clock_passes_them(gyms: Sandbox) -> None:
    target = next(c for c in gyms.world.contacts if c.email and not c.truth.opted_out)
    sent = gyms.send_message(target.id, channel="email", subject="Hi", body=GOOD_BODY)
    assert gyms.events[-1] is sent or gyms.events[-1].type == "violation"
    happened = gyms.advance_clock(hours=1)
    assert [e.type for e in happened][:1] in (["delivered"], ["bounced"])
    times = [e.at for e in gyms.events]
    assert times == sorted(times), "simulated time never runs backwards"
    assert [e.seq for e in gyms.events] == list(range(len(gyms.events)))


def test_events_are_plain_json(gyms: Sandbox) -> None:
    play_script(gyms)
    for event in gyms.events:
        assert json.loads(json.dumps(event.to_dict())) == event.to_dict()
        assert event.actor in ("learner", "world")
        assert event.at.endswith("Z")


def test_replay_equals_live_state() -> None:
    live = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    play_script(live)
    raw = [json.loads(line) for line in to_jsonl(live.events).splitlines()]
    again = replay_log(raw)
    assert again.state.snapshot() == live.state.snapshot()
    assert again.events == live.events
    # the replayed sandbox carries on exactly like the live one
    assert again.advance_clock(days=2) == live.advance_clock(days=2)


def test_a_replayed_sandbox_sends_messages_and_calls_like_the_live_one() -> None:
    live = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    play_script(live)
    again = replay_log([e.to_dict() for e in live.events], analyser=fixed_analyser)
    target = next(c for c in live.world.contacts if c.email and not live.opted_out(c))
    phone = next(c for c in live.world.contacts if c.phone and not live.do_not_call(c))
    for sandbox in (live, again):
        sandbox.send_message(target.id, channel="email", subject="Hi", body=GOOD_BODY)
        sandbox.call(phone.id, opener="Hi, this is Alex from RepCount: a minute?")
    assert again.events == live.events
    assert again.state.snapshot() == live.state.snapshot()


def test_a_fork_acts_on_its_own_and_leaves_the_original_as_it_was() -> None:
    """Copy-on-write: the platform acts on a fork while readers hold the original."""
    original = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    play_script(original)
    before_state, before_events = original.state.snapshot(), original.events
    fork = original.fork()
    play_script(fork)  # the same contacts again: replies, stages and lists all change
    fork.advance_clock(days=3)
    assert original.state.snapshot() == before_state
    assert original.events == before_events
    # and the original, given the same actions, arrives where the fork did
    play_script(original)
    original.advance_clock(days=3)
    assert original.events == fork.events
    assert original.state.snapshot() == fork.state.snapshot()


def test_a_copy_that_is_behind_catches_up_with_only_the_events_it_lacks() -> None:
    live = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    play_script(live)
    behind = replay_log([e.to_dict() for e in live.events], analyser=fixed_analyser)
    mark = live.event_count
    target = next(c for c in live.world.contacts if c.email and not live.opted_out(c))
    live.send_message(target.id, channel="email", subject="Hi", body=GOOD_BODY)
    live.advance_clock(days=2)
    tail = [e.to_dict() for e in live.events_since(mark)]
    ahead = behind.caught_up(tail)
    assert ahead.events == live.events
    assert ahead.state.snapshot() == live.state.snapshot()
    assert behind.event_count == mark  # the copy it started from is untouched
    edited = [dict(e) for e in tail]
    edited[-1] = {**edited[-1], "at": "2031-01-01T00:00:00Z"}
    with pytest.raises(ReplayError):
        behind.caught_up(edited)
    with pytest.raises(ReplayError, match="starts at"):
        behind.caught_up(tail[1:])


def test_replay_detects_an_edited_log() -> None:
    live = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    play_script(live)
    raw = [json.loads(line) for line in to_jsonl(live.events).splitlines()]
    reply = next(i for i, e in enumerate(raw) if e["type"] == "replied")
    raw[reply]["data"]["kind"] = (
        "interested" if raw[reply]["data"]["kind"] != "interested" else "curious"
    )
    with pytest.raises(ReplayError, match="differs"):
        replay_log(raw)
    with pytest.raises(ReplayError):
        replay_log(raw[1:])


def test_spend_turns_budget_into_inbound_leads_at_the_industry_cpl(gyms: Sandbox) -> None:
    gyms.spend("search_ads", 701.1)  # 10 leads at USD 70.11 (WordStream 2025)
    assert gyms.state.remaining_budget == 1500 - 701.1
    gyms.advance_clock(days=9)
    inbound = [e for e in gyms.events if e.type == "inbound_lead"]
    assert len(inbound) == 10
    assert all(gyms.state.contacts[e.data["contact_id"]].stage == "lead" for e in inbound)


def test_discovery_call_reveals_what_the_questions_cover() -> None:
    sb = open_exercise("qualify-insurance-leads", seed=3, analyser=fixed_analyser)
    leads = [e.data["contact_id"] for e in sb.events if e.type == "inbound_lead"]
    assert len(leads) == 8
    answers = sb.discovery_call(leads[0], questions=["budget_set", "sign_off", "small_talk"])
    assert answers["revealed"] == ["budget", "money", "authority"]
    truth = sb.world.contact(leads[0]).truth
    assert answers["answers"][0]["reveals"]["budget"] == ("yes" if truth.budget else "no")
    assert answers["answers"][2]["reveals"] == {}
    with pytest.raises(ActionRefused) as info:
        sb.discovery_call(leads[1], questions=["no_such_question"])
    assert info.value.field == "questions[0]"


def test_meeting_needs_interest_and_stage_moves_one_step_at_a_time(gyms: Sandbox) -> None:
    gyms.spend("search_ads", 140.22)
    gyms.advance_clock(days=8)
    lead = next(e.data["contact_id"] for e in gyms.events if e.type == "inbound_lead")
    with pytest.raises(ActionRefused, match="one stage at a time"):
        gyms.change_stage(lead, "sql")
    gyms.change_stage(lead, "mql")
    with pytest.raises(ActionRefused, match="meeting"):
        gyms.change_stage(lead, "sql")
    assert iso(gyms.state.clock) == gyms.now


def test_an_unsubscribe_caused_by_the_handed_in_email_does_not_make_it_do_not_contact() -> None:
    from simulator import grading_input, open_exercise

    for seed in range(1, 60):
        sandbox = open_exercise("cold-email-dental", seed=seed)
        reachable = [c for c in sandbox.world.contacts if c.email and not sandbox.opted_out(c)]
        body = "Hi {{first_name}}, FREE offer, act now! Reply stop to opt out. {{sender_address}}"
        for contact in reachable:
            sandbox.send_message(contact.id, channel="email", subject="Hello", body=body)
        sandbox.advance_clock(until="end")
        gone = [c for c in reachable if sandbox.opted_out(c)]
        if gone:
            sandbox.submit(
                {"channel": "email", "subject": "Hello", "body": body}, contact_id=gone[0].id
            )
            context = grading_input(sandbox).context
            assert context["prospect"]["do_not_contact"] is False
            return
    raise AssertionError("no prospect unsubscribed in 60 worlds")
