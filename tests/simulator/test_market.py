"""Generated markets: every industry pack, sane fields, fictional contact details, real fit."""

from __future__ import annotations

import re

import pytest

from course.exercise_specs import IcpSpec, MarketSpec
from simulator import build_world, exercise_spec, generate_market
from simulator.icp import fits_icp
from simulator.packs import INDUSTRIES, industry_pack
from simulator.timezones import ZONES

PHONE = re.compile(r"^\+(1 \d{3}-555-01\d\d|44 [\d ]+ 0\d{3}|61 \d 5550 \d{4})$")


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_every_industry_generates_a_plausible_market(industry: str) -> None:
    spec = MarketSpec(
        industry=industry,
        n_companies=30,
        contacts_per_company={"min": 1, "max": 4},
        regions=["us", "uk", "au"],
        seed_salt="t",
    )
    world = generate_market(spec, 1)
    assert len(world.companies) == 30
    assert 30 <= len(world.contacts) <= 120
    for company in world.companies:
        assert 2 <= len(company.facts) <= 4 and "{" not in " ".join(company.facts)
        assert company.timezone in ZONES
        assert company.domain.endswith(".example")
    for contact in world.contacts:
        assert contact.phone is None or PHONE.match(contact.phone), contact.phone
        assert contact.email is None or contact.email.endswith(".example")
        assert 0 <= contact.responsiveness <= 1 and 0 <= contact.truth.interest <= 1
        assert contact.preferred_channel in ("email", "linkedin", "call")


def test_cost_per_lead_sources_and_the_coaching_assumption() -> None:
    for industry in INDUSTRIES:
        pack = industry_pack(industry)
        assert set(pack.cost_per_lead) == {"search_ads", "social_ads"}
        assert all(c.usd > 0 and c.source for c in pack.cost_per_lead.values())
    assert industry_pack("coaching_consulting").cost_per_lead_is_assumption
    assert not industry_pack("saas").cost_per_lead_is_assumption
    assert industry_pack("local_business").cost_per_lead["search_ads"].usd == 70.11


def test_truth_fit_follows_the_icp_including_researched_signals() -> None:
    spec = exercise_spec("prospect-list-saas")
    world = build_world(spec, 9)
    fitting = [c for c in world.contacts if c.truth.fits_icp]
    assert 20 <= len(fitting) <= len(world.contacts) // 2
    for contact in world.contacts:
        company = world.company_of(contact)
        assert contact.truth.fits_icp == fits_icp(contact, company, spec.icp)
        if contact.truth.fits_icp:
            assert {"hiring", "funding"} & set(company.fact_tags)
            assert contact.decision_maker


def test_every_company_usually_has_a_decision_maker_and_referrals_work() -> None:
    world = build_world(exercise_spec("capstone-local-gyms"), 2)
    with_maker = sum(
        any(c.decision_maker for c in world.contacts_at(co.id)) for co in world.companies
    )
    assert with_maker / len(world.companies) > 0.8


def test_without_an_icp_decision_makers_count_as_fitting() -> None:
    spec = MarketSpec(
        industry="saas",
        n_companies=5,
        contacts_per_company={"min": 2, "max": 2},
        regions=["us"],
        seed_salt="x",
    )
    world = generate_market(spec, 1, None)
    assert all(c.truth.fits_icp == c.decision_maker for c in world.contacts)
    assert (
        generate_market(spec, 1, IcpSpec(summary="x", regions=["uk"])).contacts[0].truth.fits_icp
        is False
    )


def test_unknown_segment_is_a_clear_error() -> None:
    spec = MarketSpec(
        industry="saas",
        segments=["gym"],
        n_companies=1,
        contacts_per_company={"min": 1, "max": 1},
        regions=["us"],
        seed_salt="x",
    )
    with pytest.raises(ValueError, match="segments"):
        generate_market(spec, 1)
