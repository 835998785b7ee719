"""On a live call, a buyer remembers the rules broken on them and quotes money in their own
currency (pounds in the UK, Canadian dollars in Canada)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator import Sandbox
from simulator.buyers import START_GOODWILL, persona_for
from simulator.call_machine import greet, open_call
from simulator.call_state import Turn
from simulator.currency import money
from simulator.debrief import debrief
from simulator.exercises import build_world, exercise_spec
from simulator.law import consent_gap
from simulator.seeds import Stream

from .conftest import GOOD_BODY, fixed_analyser

AGGRIEVED_WORDS = ("never asked", "didn't agree", "not happy", "again", "without asking")


def _uk_sole_trader(sandbox: Sandbox):
    """A UK contact PECR forbids emailing without consent, who answers their own phone."""
    today = sandbox.world.market.start.date()
    for contact in sandbox.world.contacts:
        company = sandbox.world.company_of(contact)
        if (
            contact.country == "GB"
            and contact.email
            and contact.phone
            and contact.registry is None
            and not contact.truth.do_not_call
            and not contact.truth.opted_out
            and consent_gap(company, contact, today) is not None
            and persona_for(sandbox.world, contact).gatekeeper is None
        ):
            return contact
    raise AssertionError("no UK contact without consent in this world")


@pytest.fixture
def dental():
    return exercise_spec("cold-email-dental")


def test_a_buyer_emailed_without_consent_picks_up_guarded_and_says_so(dental) -> None:
    calm = Sandbox(build_world(dental, 4), dental, analyser=fixed_analyser)
    angry = Sandbox(build_world(dental, 4), dental, analyser=fixed_analyser)
    contact = _uk_sole_trader(angry)
    angry.send_message(contact.id, channel="email", subject="Hello", body=GOOD_BODY)
    for sandbox in (calm, angry):
        sandbox.advance_clock(hours=1)  # 14:00 in the UK: inside the calling hours
    assert angry.state.contacts[contact.id].grievances == 1
    calm_open = calm.start_conversation(contact.id)
    calm_goodwill = calm.state.call.goodwill
    angry_open = angry.start_conversation(contact.id)
    assert angry.state.call.goodwill == calm_goodwill - 1
    calm_text = " ".join(line["text"] for line in calm_open["lines"])
    angry_text = " ".join(line["text"] for line in angry_open["lines"])
    assert not any(word in calm_text for word in AGGRIEVED_WORDS), calm_text
    assert any(word in angry_text for word in AGGRIEVED_WORDS), angry_text
    for sandbox in (calm, angry):
        sandbox.end_conversation()
        sandbox.submit({"figures": {}, "analysis": "done"})
    calm_row = next(r for r in debrief(calm) if r["contact_id"] == contact.id)
    angry_row = next(r for r in debrief(angry) if r["contact_id"] == contact.id)
    assert calm_row["calls"][0]["opening"] == ""
    assert "guarded" in angry_row["calls"][0]["opening"]


def test_grievances_lower_goodwill_with_a_floor_and_leave_drills_alone(dental) -> None:
    world = build_world(dental, 4)
    persona = persona_for(world, world.contacts[0])
    start = START_GOODWILL[persona.temperament]
    assert open_call(persona, 1).goodwill == start
    assert open_call(persona, 1, grievances=1).goodwill == start - 1
    assert open_call(persona, 1, grievances=2).goodwill == start - 2
    assert open_call(persona, 1, grievances=9).goodwill == start - 2  # irritated, not gone
    drill = open_call(persona, 1, drill=("no_budget",), grievances=2)
    assert drill.goodwill == start  # a drill practises objections, not a grudge
    lines = greet(open_call(persona, 1, grievances=1), persona, Stream(1))
    assert lines[-1]["line"] in ("buyer.greet_aggrieved", "gatekeeper.greet")


@pytest.mark.parametrize(
    ("region", "country", "symbol", "not_symbol"),
    [("uk", "GB", "£", "$"), ("ca", "CA", "C$", "£"), ("us", "US", "$", "C$")],
)
def test_a_buyer_quotes_the_budget_in_their_own_currency(
    dental, region: str, country: str, symbol: str, not_symbol: str
) -> None:
    world = build_world(dental, 4)
    contact = next(c for c in world.contacts if c.truth.budget)
    company = replace(world.company_of(contact), region=region, country=country)
    amount = money(contact.truth.budget_amount, company)
    assert amount.startswith(symbol) and f"{contact.truth.budget_amount:,}" in amount
    if not_symbol != "$":
        assert not_symbol not in amount
    if region == "us":
        assert not amount.startswith(("C$", "A$"))
    persona = replace(persona_for(world, contact), budget_money=amount)
    turn = Turn(open_call(persona, 1), persona, Stream(3), 0)
    turn.say("answer.budget_yes")
    said = turn.lines[0]["text"]
    assert amount in said and "a year" not in said, said  # monthly, as the discovery form says


def test_a_persona_carries_the_currency_of_its_company(dental) -> None:
    world = build_world(dental, 4)
    for contact in world.contacts:
        company = world.company_of(contact)
        persona = persona_for(world, contact)
        assert persona.budget_money == money(contact.truth.budget_amount, company)
        if company.region == "uk":
            assert persona.budget_money.startswith("£")
