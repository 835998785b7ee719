"""Region-aware compliance: one law table decides calling hours, registers and email rules."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from simulator import Sandbox, open_exercise
from simulator.calling_hours import call_window
from simulator.debrief import debrief, sender_reputation
from simulator.events import ActionRefused
from simulator.exercises import build_world, exercise_spec
from simulator.law import RULES, consent_gap, email_breaches
from simulator.market import Company, Contact
from simulator.reputation import reputation
from simulator.timezones import local_hour_and_weekday

from .conftest import GOOD_BODY, fixed_analyser

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulator.md"


@pytest.fixture
def salons() -> Sandbox:
    """The capstone's gyms, moved to the UK (a live market with email and calls)."""
    spec = exercise_spec("capstone-local-gyms")
    uk = {"regions": ("uk",)}
    spec = spec.model_copy(
        update={"market": spec.market.model_copy(update=uk), "icp": spec.icp.model_copy(update=uk)}
    )
    return Sandbox(build_world(spec, 3), spec, analyser=fixed_analyser)


def _pair(sandbox: Sandbox, **where: object) -> tuple[Contact, Company]:
    """The first contact (and company) whose contact or company fields match ``where``."""
    for contact in sandbox.world.contacts:
        company = sandbox.world.company_of(contact)
        if all(
            getattr(contact, k, None) == v or getattr(company, k, None) == v
            for k, v in where.items()
        ):
            return contact, company
    raise AssertionError(f"no contact with {where}")


def _at(company: Company, **fields: str) -> Company:
    return replace(company, **fields)


def test_every_contact_has_a_country_region_line_register_and_consent(gyms: Sandbox) -> None:
    for contact in gyms.world.contacts:
        company = gyms.world.company_of(contact)
        assert (contact.country, contact.region) == (company.country, company.area)
        assert contact.line_type in ("business_landline", "business_mobile", "personal")
        assert company.legal_form in ("limited_company", "sole_trader", "partnership")
        assert contact.consent in (
            "express", "purchase", "inquiry", "business_card", "published", "none"
        )  # fmt: skip
        assert (contact.consent_date is None) == (contact.consent == "none")
        if contact.registry is not None:  # US and Canadian registers cover personal lines
            assert contact.phone and contact.line_type == "personal"
    public = gyms.world.contacts[0].public()
    assert {"country", "region", "line_type", "registry", "consent"} <= set(public)


def test_calling_windows_follow_each_jurisdiction(gyms: Sandbox) -> None:
    contact, company = _pair(gyms, country="US", line_type="personal")
    us = call_window(company, contact, 0)
    assert us is not None and (us.describe(), us.basis) == ("08:00-21:00", "law")
    business = call_window(company, replace(contact, line_type="business_landline"), 0)
    assert business is not None and business.basis == "policy"  # B2B: the TSR exempts it
    assert "policy" in business.label
    florida = call_window(_at(company, area="FL"), contact, 6)
    assert florida is not None and florida.describe() == "08:00-20:00"
    canada = _at(company, country="CA", area="ON")
    weekday, weekend = call_window(canada, contact, 2), call_window(canada, contact, 5)
    assert weekday is not None and weekday.describe() == "09:00-21:30"
    assert weekend is not None and weekend.describe() == "10:00-18:00"
    uk = call_window(_at(company, country="GB", area="Scotland"), contact, 0)
    assert uk is not None and uk.basis == "policy"  # no statutory hours in the UK
    australia = _at(company, country="AU", area="NSW")
    assert call_window(australia, contact, 6) is None  # never on Sundays
    saturday = call_window(australia, contact, 5)
    assert saturday is not None and saturday.describe() == "09:00-17:00"


def test_every_rule_and_its_source_is_listed_in_the_docs() -> None:
    text = DOC.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"`{rule.id}`" in text, f"{rule.id} missing from docs/simulator.md"
        for part in rule.source.split(";"):
            assert part.strip() in text, f"{rule.id}: {part.strip()!r} not in the docs"
        assert rule.basis in ("law", "policy")
    assert all("course policy" in r.source for r in RULES if r.basis == "policy")


def _call_at_local(sandbox: Sandbox, contact: Contact, hour: int) -> None:
    company = sandbox.world.company_of(contact)
    now = sandbox.state.clock
    local_hour, minute, _ = local_hour_and_weekday(company.timezone, now)
    ahead = ((hour - local_hour) % 24) * 3600 - minute * 60 - now % 60
    if not hour <= local_hour < hour + 3:  # else it is still the morning asked for
        sandbox.advance_clock(minutes=ahead / 60)
    sandbox.call(contact.id, opener="Hi {{first_name}}, calling about {{pain}}: a good time?")


def test_a_registered_number_is_a_violation_with_its_source(salons: Sandbox) -> None:
    contact = next(c for c in salons.world.contacts if c.registry in ("tps", "ctps"))
    _call_at_local(salons, contact, 11)
    found = [v for v in salons.state.violations if v["kind"] == "call_registered_number"]
    assert found and "PECR" in found[0]["source"] and found[0]["basis"] == "law"
    assert salons.state.contacts[contact.id].grievances >= 1


def test_a_fourth_call_in_a_day_breaks_floridas_cap() -> None:
    sandbox = open_exercise("capstone-local-gyms", seed=11, analyser=fixed_analyser)
    contact = next(
        c
        for c in sandbox.world.contacts
        if c.phone and c.region == "FL" and c.registry is None and not c.truth.do_not_call
    )
    for _ in range(4):
        _call_at_local(sandbox, contact, 11)
        sandbox.advance_clock(minutes=30)
    capped = [v for v in sandbox.state.violations if v["kind"] == "call_cap_exceeded"]
    assert len(capped) == 1 and "501.059" in capped[0]["source"]


def test_email_consent_follows_pecr_and_casl(salons: Sandbox, gyms: Sandbox) -> None:
    today = salons.world.market.start.date()
    sole, firm = _pair(salons, legal_form="sole_trader", consent="none")
    assert consent_gap(firm, sole, today) is not None  # PECR: a sole trader needs consent
    limited, ltd = _pair(salons, legal_form="limited_company", consent="none")
    assert consent_gap(ltd, limited, today) is None  # a corporate subscriber does not
    soft = replace(sole, consent="inquiry", consent_date="2020-01-01")
    assert consent_gap(firm, soft, today) is None  # the soft opt-in
    canadian, company = _pair(gyms, country="CA")
    old = replace(canadian, consent="inquiry", consent_date="2024-01-10")
    fresh = replace(canadian, consent="inquiry", consent_date="2025-01-10")
    assert consent_gap(company, old, today) is not None  # CASL: an inquiry lasts 6 months
    assert consent_gap(company, fresh, today) is None
    card = replace(canadian, consent="business_card", consent_date="2019-05-01")
    assert consent_gap(company, card, today) is None
    us, us_company = _pair(gyms, country="US", consent="none")
    assert consent_gap(us_company, us, today) is None  # CAN-SPAM asks no consent
    kinds = {
        b.kind
        for b in email_breaches(
            company,
            old,
            has_opt_out=True,
            has_postal_address=True,
            body="Hi. 12 King St, Toronto. Reply stop.",
            today=today,
        )
    }
    assert kinds == {"email_without_consent", "email_without_contact_method"}


def test_an_email_without_consent_is_a_violation_that_angers(salons: Sandbox) -> None:
    contact = next(
        c
        for c in salons.world.contacts
        if c.email
        and c.consent == "none"
        and salons.world.company_of(c).legal_form != "limited_company"
        and not c.truth.opted_out
    )
    salons.send_message(contact.id, channel="email", subject="Hello", body=GOOD_BODY)
    salons.advance_clock(hours=1)
    found = [v for v in salons.state.violations if v["kind"] == "email_without_consent"]
    assert found and "regulation 22" in found[0]["source"]
    cs = salons.state.contacts[contact.id]
    assert cs.grievances == 1
    if cs.explanations and cs.explanations[-1]["inbox"]:
        assert cs.explanations[-1]["factors"]["anger"] < 1


def test_the_debrief_explains_each_consequence(salons: Sandbox) -> None:
    contact = next(c for c in salons.world.contacts if c.registry == "tps")
    _call_at_local(salons, contact, 11)
    salons.submit({"figures": {}, "analysis": "done"})
    row = next(r for r in debrief(salons) if r["contact_id"] == contact.id)
    broken = {c["kind"]: c for c in row["consequences"]}
    assert "call_registered_number" in broken
    assert re.search(r"x0\.\d", broken["call_registered_number"]["cost"])
    assert "PECR" in broken["call_registered_number"]["source"]


def _campaign(source: str, *, research: bool = False) -> Sandbox:
    """Buy 150 records from ``source`` and email each one good message, in two waves a day
    apart (the second is sent by a sender the first wave's bounces have marked)."""
    sandbox = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    sandbox.buy_list(source, 150, list_name=source)
    for index, contact_id in enumerate(sandbox.state.lists[source]):
        if index == 75:
            sandbox.advance_clock(days=1)
        if research:
            sandbox.view_profile(contact_id)
        contact = sandbox.world.contact(contact_id)
        assert contact is not None
        if sandbox.opted_out(contact):
            continue
        sandbox.send_message(contact_id, channel="email", subject="Hello", body=GOOD_BODY)
    sandbox.advance_clock(days=6)
    return sandbox


def test_a_cheap_bought_list_bounces_burns_the_sender_and_loses_replies() -> None:
    bought, researched = _campaign("bought"), _campaign("researched")
    assert bought.state.spent < researched.state.spent  # cheap, at first sight
    rate = {s: sb.state.counts["bounced"] / sb.state.counts["sent_email"]
            for s, sb in (("bought", bought), ("researched", researched))}  # fmt: skip
    assert rate["bought"] > 0.2 > 0.1 > rate["researched"]
    assert reputation(bought.state.counts) < 0.8 < reputation(researched.state.counts)
    assert bought.state.counts["replied_email"] < researched.state.counts["replied_email"]
    wrong = [
        t
        for cs in bought.state.contacts.values()
        for t in cs.explanations
        if t["factors"].get("record")
    ]
    assert wrong  # some records named the wrong person: their odds carry the factor
    later = [t for cs in bought.state.contacts.values() for t in cs.explanations[-1:]]
    assert any(t.get("reputation", 1.0) < 1.0 for t in later)
    bought.submit({"figures": {}, "analysis": "done"})
    sender = sender_reputation(bought)
    assert sender["score"] < 0.8 and any("bounces" in r for r in sender["reasons"])
    rows = debrief(bought)
    reasons = [r for row in rows for t in row["touches"] for r in t["reasons"]]
    assert any("sender reputation" in r for r in reasons)
    assert any("bought list named the wrong person" in r for r in reasons)


def test_research_corrects_a_bought_record() -> None:
    checked = _campaign("bought", research=True)
    assert checked.state.counts["bounced"] / checked.state.counts["sent_email"] < 0.12


def test_a_list_costs_budget_and_is_refused_past_it(gyms: Sandbox) -> None:
    with pytest.raises(ActionRefused) as refused:
        gyms.buy_list("researched", 2_000)
    assert refused.value.field == "size"
    gyms.buy_list("bought", 10)
    assert len(gyms.state.lists["bought"]) == 10 and gyms.state.spent == 1.0
