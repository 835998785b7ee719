"""Packs that fit their market: tools sold in the company's country, names without
numbers, authority drawn per role (issue 13, item 5)."""

from __future__ import annotations

import re

import pytest

from simulator import build_world, exercise_spec
from simulator.currency import money
from simulator.generate import authority_odds, tool_regions

EXERCISES = (
    "capstone-local-gyms",
    "cold-email-dental",
    "qualify-insurance-leads",
    "sequence-real-estate",
    "prospect-list-saas",
    "linkedin-note-coaching",
)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_companies_run_local_tools_and_have_unique_names_without_numbers(exercise: str) -> None:
    sold = tool_regions()
    for seed in (1, 2, 3):
        world = build_world(exercise_spec(exercise), seed)
        names = [c.name for c in world.companies]
        assert len(set(names)) == len(names)
        assert not [n for n in names if re.search(r"\d", n)]
        foreign = [
            (c.name, c.region, t)
            for c in world.companies
            for t in c.tools
            if c.region not in sold.get(t, (c.region,))
        ]
        assert not foreign


def test_a_big_world_still_names_every_company_without_a_number() -> None:
    spec = exercise_spec("qualify-insurance-leads")
    spec = spec.model_copy(update={"market": spec.market.model_copy(update={"n_companies": 600})})
    names = [c.name for c in build_world(spec, 4).companies]
    assert len(set(names)) == len(names) == 600
    assert not [n for n in names if re.search(r"\d", n)]


def test_authority_follows_the_role() -> None:
    assert authority_odds("owner", True) > 0.95
    assert authority_odds("owner", True) > authority_odds("director", True)
    assert authority_odds("manager", True) > authority_odds("manager", False)
    assert authority_odds("staff", False) < 0.1
    world = build_world(exercise_spec("capstone-local-gyms"), 5)
    owners = [c for c in world.contacts if c.seniority == "owner"]
    assert sum(c.truth.authority for c in owners) >= 0.9 * len(owners)


def test_budgets_are_quoted_in_the_country_s_currency() -> None:
    world = build_world(exercise_spec("cold-email-dental"), 3)
    uk = next(c for c in world.companies if c.region == "uk")
    us = next(c for c in world.companies if c.region == "us")
    assert money(1200, uk) == "£1,200" and money(1200, us) == "$1,200"
