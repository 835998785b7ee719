"""Whole exercises played from Python, and the grader inputs they produce."""

from __future__ import annotations

from typing import Any

from simulator import (
    ActionRefused,
    Sandbox,
    build_world,
    exercise_spec,
    grading_input,
    metrics,
    open_exercise,
    replay_log,
)
from simulator.events import iso

from .conftest import GOOD_BODY, fixed_analyser

REPORT_KEYS = {
    "stage_counts",
    "conversion_rates",
    "reply_rate_by_channel",
    "cost_per_lead",
    "cost_per_acquisition",
}


def _manage(sb: Any) -> None:
    for contact_id, cs in list(sb.state.contacts.items()):
        try:
            if cs.interest_at is not None and cs.stage in (None, "lead"):
                if cs.stage is None:
                    sb.change_stage(contact_id, "lead")
                sb.change_stage(contact_id, "mql")
                sb.book_meeting(contact_id, at=iso(sb.state.clock + 20 * 3600))
            elif cs.stage == "mql" and cs.meeting == "accepted":
                sb.change_stage(contact_id, "sql")
            elif cs.stage == "sql" and cs.meeting in ("held", "no_show"):
                wants = cs.meeting == "held" and cs.wants_proposal
                sb.change_stage(contact_id, "opportunity" if wants else "lost")
            elif cs.stage == "opportunity" and cs.deal in ("won", "lost"):
                sb.change_stage(contact_id, "customer" if cs.deal == "won" else "lost")
        except ActionRefused:
            pass


def test_a_whole_30_day_capstone_plays_through_the_notebook_api() -> None:
    sb = open_exercise(
        "capstone-local-gyms", learner_id="learner-7", attempt=1, analyser=fixed_analyser
    )
    rows = sb.search(decision_maker=True, size_band=["11-50", "51-200"], limit=200)
    targets = [r["id"] for r in rows][:120]
    for contact_id in targets:
        sb.view_profile(contact_id)
    sb.add_to_list(targets, "capstone")
    sb.spend("search_ads", 700)
    sb.spend("social_ads", 300)
    queue = list(targets)
    for _day in range(30):
        if sb.state.clock >= sb.state.end:
            break
        for contact_id in queue[:12]:
            contact = sb.world.contact(contact_id)
            try:
                if contact.email:
                    sb.send_message(
                        contact_id, channel="email", subject="{{company}}", body=GOOD_BODY
                    )
                elif contact.phone:
                    sb.call(contact_id, opener="Hi {{first_name}}, is {{pain}} a worry?")
            except ActionRefused:
                pass
        queue = queue[12:]
        _manage(sb)
        sb.advance_clock(days=1)
    assert sb.now == iso(sb.state.end)
    figures = metrics(sb)
    assert figures["stage_counts"]["lead"] > 0
    assert figures["spend"]["total"] == 1000
    report = {key: figures[key] for key in REPORT_KEYS}
    sb.submit({"figures": report, "analysis": "Research first, then short emails."})
    given = grading_input(sb)
    assert given.kind == "report"
    assert given.context["truth"] == report
    assert given.context["tolerance"] == {"percent_points": 1.0, "relative": 0.05}


def test_pipeline_report_salons_comes_pre_played() -> None:
    sb = open_exercise("pipeline-report-salons", seed=4)
    assert sb.now == iso(sb.state.end)
    types = {e.type for e in sb.events}
    assert {"message_sent", "replied", "inbound_lead", "spend", "change_stage"} <= types
    sb.submit({"figures": {}, "analysis": "..."})
    truth = grading_input(sb).context["truth"]
    assert truth["stage_counts"]["lead"] >= truth["stage_counts"]["mql"]
    assert set(truth["reply_rate_by_channel"]) == {"email"}
    assert truth["cost_per_lead"] is not None


def test_the_sandbox_opens_bare_and_open_exercise_plays_the_colleagues_log() -> None:
    spec = exercise_spec("pipeline-report-salons")
    bare = Sandbox(build_world(spec, 4), spec)
    assert [e.type for e in bare.events] == ["exercise_opened"]
    assert bare.now == iso(bare.state.start)
    played = open_exercise("pipeline-report-salons", seed=4)
    assert played.events[: len(bare.events)] == bare.events
    assert len(played.events) > 100
    # the played log replays from its first event alone, with no policy run again
    assert replay_log([e.to_dict() for e in played.events]).events == played.events


def test_prospect_list_context_covers_every_contact() -> None:
    sb = open_exercise("prospect-list-saas", seed=2, analyser=fixed_analyser)
    chosen = [c.id for c in sb.world.contacts if c.truth.fits_icp][:25]
    sb.add_to_list(chosen)
    sb.submit({"contact_ids": chosen + ["p999999"], "notes": "hiring or funded"})
    given = grading_input(sb)
    assert given.kind == "prospect_list"
    assert given.context["list_size"] == {"min": 20, "max": 40}
    assert set(given.context["contacts"]) == {c.id for c in sb.world.contacts}
    row = given.context["contacts"][chosen[0]]
    assert set(row) == {
        "name",
        "title",
        "company",
        "fits_icp",
        "decision_maker",
        "has_email",
        "has_phone",
        "do_not_contact",
    }
    assert row["fits_icp"] is True
    assert given.context["icp"]["summary"]


def test_outreach_context_renders_the_submission_for_the_chosen_prospect() -> None:
    sb = open_exercise("cold-email-dental", seed=2, analyser=fixed_analyser)
    contact = next(c for c in sb.world.contacts if c.truth.fits_icp)
    sb.view_profile(contact.id)
    sb.submit(
        {"channel": "email", "subject": "{{company}}", "body": GOOD_BODY}, contact_id=contact.id
    )
    given = grading_input(sb)
    assert given.kind == "outreach"
    assert contact.first_name in given.submission["body"] and "{{" not in given.submission["body"]
    prospect = given.context["prospect"]
    assert prospect["first_name"] == contact.first_name
    assert set(prospect) == {
        "first_name",
        "last_name",
        "title",
        "company",
        "industry",
        "facts",
        "pains",
        "do_not_contact",
    }
    assert set(given.context["sender"]) == {"name", "company", "postal_address"}
    assert given.context["offer"]


def test_qualification_context_reports_truth_and_what_was_revealed() -> None:
    sb = open_exercise("qualify-insurance-leads", seed=6, analyser=fixed_analyser)
    leads = [e.data["contact_id"] for e in sb.events if e.type == "inbound_lead"]
    sb.discovery_call(leads[0], questions=["budget_set", "who_decides", "biggest_challenge"])
    submission = {
        "framework": "bant",
        "leads": [
            {
                "contact_id": cid,
                "criteria": {"budget": {"value": "unknown", "note": ""}},
                "decision": "nurture",
            }
            for cid in leads[:5]
        ],
    }
    sb.submit(submission)
    context = grading_input(sb).context
    assert context["framework"] == "bant"
    assert set(leads) <= set(context["truth"])
    first = context["truth"][leads[0]]
    assert first["revealed"] == ["budget", "authority", "need"]
    assert set(first["criteria"]) == {"budget", "authority", "need", "timeline"}
    assert first["decision"] in ("advance", "nurture", "disqualify")
    assert context["truth"][leads[1]]["revealed"] == []
    decisions = {context["truth"][cid]["decision"] for cid in leads}
    assert len(decisions) >= 2, "the eight leads mix the right decisions"


def test_a_meeting_booked_on_a_live_call_counts_toward_the_capstone_once_held() -> None:
    """What the capstone's brief promises: a live call can book a meeting, and a held one
    counts in the figures the grade measures against the goal (4 meetings held)."""
    sb = open_exercise("capstone-local-gyms", seed=11)
    sb.advance_clock(hours=3)  # 13:00Z is 07:00 in Chicago: wait for calling hours
    sb.start_conversation("p000011")  # a friendly gym owner who answers her own phone
    for text in (
        "Hi, this is Alex Moreno from RepCount. I'm calling because gyms tell us trial"
        " visitors slip away before they join. Is now a bad time?",
        "How are you following up free-trial visitors today?",
        "Would you be open to a 20-minute call on Tuesday at 10am your time?",
    ):
        sb.say(text)
    sb.end_conversation()
    assert sb.state.calls[-1]["outcome"] == "meeting_booked"
    assert metrics(sb)["outcomes"]["meetings_booked"] == 1
    assert metrics(sb)["outcomes"]["meetings_held"] == 0  # booked is not held
    sb.advance_clock(days=3)
    assert metrics(sb)["outcomes"]["meetings_held"] == 1
