"""The meeting figures a report v2 states, recomputed from the event log with the
glossary's definitions, and put in the grader's truth only where the exercise asks."""

from __future__ import annotations

import pytest

from simulator import Sandbox, exercise_spec, grading_input, open_exercise
from simulator.metrics import meeting_figures


@pytest.fixture(scope="module")
def salons() -> Sandbox:
    sb = open_exercise("pipeline-report-salons", seed=4)
    sb.submit({"figures": {}, "analysis": "..."})
    return sb


def _contact(event) -> str:
    return str(event.data.get("contact_id") or event.data.get("contact"))


def test_meeting_figures_follow_the_glossary(salons: Sandbox) -> None:
    events = salons.events
    booked = sum(e.type == "meeting_accepted" for e in events)
    held = [e for e in events if e.type == "meeting_held"]
    no_shows = sum(e.type == "meeting_no_show" for e in events)
    held_contacts = {_contact(e) for e in held}
    opportunities = [
        cid for cid in held_contacts
        if "opportunity" in salons.state.contacts[cid].stages_reached
    ]  # fmt: skip
    figures = meeting_figures(salons)
    assert figures["meetings_booked"] == booked > 0
    assert figures["meetings_held"] == len(held) > 0
    # due = held + no-shows: a meeting booked for after the period's end is not due
    assert figures["show_rate"] == round(100 * len(held) / (len(held) + no_shows), 2)
    assert figures["meeting_to_opportunity_rate"] == round(
        100 * len(opportunities) / len(held_contacts), 2
    )
    deal = salons.exercise.client.deal_value
    assert figures["pipeline_value"] == len(opportunities) * deal


def test_the_salons_report_asks_for_them_and_the_capstone_does_not(salons: Sandbox) -> None:
    assert exercise_spec("pipeline-report-salons").deliverable.meeting_figures
    assert not exercise_spec("capstone-local-gyms").deliverable.meeting_figures
    truth = grading_input(salons).context["truth"]
    assert truth["meetings"] == meeting_figures(salons)
