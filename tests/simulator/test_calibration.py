"""The response model lands inside the published ranges, over a fixed set of seeds.

Six seeds keep the suite fast; the bottom of the funnel (Opportunity -> Customer) then rests
on about fifteen deals, so another seed set can fall outside by chance. `leadworks
calibrate --seeds 30` is the real check (docs/simulator.md shows its table).
"""

from __future__ import annotations

import pytest

from simulator import events as ev
from simulator.calibration import CalibrationRow, calibrate, calibration_spec, reference_policies
from simulator.exercises import build_world
from simulator.runner import run_policy
from simulator.sandbox import Sandbox

SEEDS = (7, 8, 9, 10, 11, 12)


@pytest.fixture(scope="module")
def rows() -> dict[str, CalibrationRow]:
    return {row.name: row for row in calibrate(SEEDS, n_companies=300)}


def test_every_calibrated_figure_is_inside_its_published_range(
    rows: dict[str, CalibrationRow],
) -> None:
    outside = {name: (r.measured, r.low, r.high) for name, r in rows.items() if not r.inside}
    assert not outside


def test_directions(rows: dict[str, CalibrationRow]) -> None:
    def measured(name: str) -> float:
        value = rows[name].measured
        assert value is not None, name
        return value

    generic = measured("generic first email: reply rate")
    assert 3.0 <= generic <= 6.0
    assert measured("personalised first email: reply rate") >= 2 * generic
    assert 30 <= measured("first follow-up: campaign reply lift (2 emails vs 1)") <= 60
    assert measured("second follow-up: campaign reply lift (3 emails vs 2)") > 0
    assert measured("third follow-up: campaign reply lift (4 emails vs 3)") < 0
    assert measured("3-email vs 5-email campaign: reply ratio") > 1  # 3 emails do best
    # Expected from the odds of the conversations held (not drawn): centred on the published
    # 4.6-4.8% even on six seeds, once the call block screens registered numbers.
    meeting = measured("calls 10am local: conversation -> meeting")
    assert 4.3 <= meeting <= 5.1
    assert measured("4th email vs 1st-3rd: unsubscribe ratio") > 1.5
    day = measured("calls 10am local: conversations per dial")
    assert measured("calls 10pm local: conversations per dial") < day / 2
    assert measured("calls 10pm local: violations per dial") >= 100


def test_the_reference_call_block_screens_registers_and_the_do_not_call_list() -> None:
    """A careful SDR's CRM screens numbers on a national register (TPS, CTPS, the DNC
    registry, the DNCL) and the do-not-call list before a call block, as it screens email
    consent: the 10am run dials none of them and breaks no rule."""
    spec = calibration_spec(200)
    sandbox = Sandbox(build_world(spec, 3), spec, analyse_per_template=True)
    registered = {c.id for c in sandbox.world.contacts if c.phone and c.registry}
    assert registered  # the world has registered numbers to screen
    run_policy(sandbox, reference_policies()["calls-10am"])
    dialled = {e.data["contact_id"] for e in sandbox.events if e.type == ev.CALL_RESULT}
    assert dialled and not dialled & registered
    kinds = {v["kind"] for v in sandbox.state.violations}
    assert not kinds & {"call_registered_number", "do_not_call", "call_outside_hours"}
