"""Paid spend: seeded noise around the industry CPL; a channel the exercise lacks is
refused before a policy runs (issue 13, item 7)."""

from __future__ import annotations

import pytest

from course.exercise_specs import PaidSpend
from simulator import ActionRefused, Sandbox
from simulator.calibration import policy
from simulator.exercises import build_world, exercise_spec
from simulator.packs import industry_pack
from simulator.response import PARAMS
from simulator.runner import check_policy


def _leads(seed: int, amount: float) -> int:
    spec = exercise_spec("capstone-local-gyms")
    sb = Sandbox(build_world(spec, seed), spec, analyser=lambda s, c: None)
    sb.spend("search_ads", amount)
    sb.advance_clock(days=8)
    return sb.state.counts["inbound_leads"]


def test_paid_leads_vary_around_amount_over_cpl_and_repeat_per_seed() -> None:
    cpl = industry_pack("local_business").cost_per_lead["search_ads"].usd
    amount = 1_400.0
    counts = [_leads(seed, amount) for seed in range(1, 13)]
    expected = amount / cpl
    assert len(set(counts)) >= 3, counts  # not simply spend / CPL every time
    low, high = expected * (1 - PARAMS.paid_noise), expected * (1 + PARAMS.paid_noise)
    assert all(int(low) <= n <= int(high) + 1 for n in counts), counts
    assert abs(sum(counts) / len(counts) - expected) <= 0.2 * expected
    assert _leads(5, amount) == counts[4]  # seeded: the same world, the same leads


def test_a_policy_with_a_paid_channel_the_exercise_lacks_is_refused_before_it_runs() -> None:
    spec = exercise_spec("cold-email-dental")
    sb = Sandbox(build_world(spec, 2), spec, analyser=lambda s, c: None)
    ads = policy("generic").model_copy(
        update={"paid": (PaidSpend(day=0, channel="social_ads", amount=100),)}
    )
    with pytest.raises(ActionRefused) as info:
        check_policy(sb, ads)
    assert info.value.field == "paid[0].channel"
    assert "social_ads" in info.value.reason and "none" in info.value.reason
    assert len(sb.events) == 1  # nothing ran


def test_a_policy_step_on_a_channel_the_exercise_lacks_is_refused_before_it_runs() -> None:
    spec = exercise_spec("linkedin-note-coaching")
    sb = Sandbox(build_world(spec, 2), spec, analyser=lambda s, c: None)
    with pytest.raises(ActionRefused) as info:
        check_policy(sb, policy("generic"))
    assert info.value.field == "steps[0].channel"
    assert "email" in info.value.reason and "linkedin" in info.value.reason
    assert len(sb.events) == 1  # nothing ran
