"""Calibration: reference policies over many seeds, measured beside domain.md's figures.

Each row pools numerators and denominators over all seeds (not a mean of per-seed rates),
so a seed with few contacts weighs little. The runs:

- generic: one template, 4 email steps 3 days apart -> first-email reply rate and
  unsubscribes per email at the 4th touch vs touches 1-3;
- campaigns: five emails to every contact of the larger world -> campaigns of 1-5 emails
  compared for the same contacts from the odds (each follow-up's lift, 3 vs 5 emails);
- personalised: researched first line, 2 steps, some search ads -> reply rate vs generic;
- calls at 10am (three dials two days apart, on a world three times larger, to numbers
  screened against the registers and the do-not-call list) and at 10pm local ->
  conversations per dial, conversation -> meeting (expected from the odds of the
  conversations held), prospects reached, violations;
- LinkedIn connection notes -> acceptance.

Every run manages its pipeline with the runner's rules; the stage conversions pool all of
them (the bottom of a funnel is a small number, so the more deals counted the better).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from course.exercise_specs import ExerciseSpec, PolicySpec, PolicyStep, parse_policy

from . import events as ev
from .calibration_targets import TARGETS, CalibrationRow, calibration_rows
from .exercises import build_world, exercise_spec
from .metrics import report_figures
from .runner import run_policy
from .sandbox import Sandbox

__all__ = [
    "CALL_WORLD_SCALE",
    "TARGETS",
    "CalibrationRow",
    "calibrate",
    "calibration_rows",
    "calibration_spec",
    "policy",
    "reference_policies",
    "run_reference",
]

POLICY_DIR = Path(__file__).resolve().parent / "policies"
CALIBRATION_EXERCISE = "capstone-local-gyms"
#: Call runs use a world this many times larger: a meeting comes from about one conversation
#: in twenty, so the default world gives too few meetings to measure the rate.
CALL_WORLD_SCALE = 3
#: The campaign run sends this many emails to every contact (on the larger world) and
#: compares campaigns of 1 to this many emails for the same contacts.
CAMPAIGN_LENGTHS = 5


def policy(name: str) -> PolicySpec:
    """A shipped reference policy (simulator/policies/<name>.yaml)."""
    return parse_policy(POLICY_DIR / f"{name}.yaml")


def reference_policies() -> dict[str, PolicySpec]:
    # A high daily volume lets every step go out inside the 30 days, so later steps are
    # not cut short by the calendar (that would bias the follow-up figures).
    generic = policy("generic").model_copy(update={"daily_volume": 400})
    bump = generic.steps[1]
    four = generic.model_copy(update={"name": "generic-4", "steps": (*generic.steps, bump, bump)})
    opener = (
        "Hi {{first_name}}, it's {{sender_name}} from {{sender_company}}. I'm calling because"
        " {{segment}} owners tell us {{pain}} costs them members. Is that true for you?"
    )
    # Three dials two days apart to every decision maker with a number, as an SDR's call
    # block does: enough conversations to measure conversation -> meeting (a few percent).
    dials = tuple(
        PolicyStep(delay_days=0 if k == 0 else 2, channel="call", body=opener) for k in range(3)
    )
    calls = generic.model_copy(
        update={
            "name": "calls-10am",
            "steps": dials,
            "send_hour": 10,
            "target": generic.target.model_copy(update={"max_contacts": 10_000}),
        }
    )
    note = PolicyStep(
        delay_days=0,
        channel="linkedin",
        body="Hi {{first_name}}, I saw that {{company}} {{fact}}. I work with {{segment}}"
        " owners on {{pain}} and would be glad to connect.",
    )
    linkedin = generic.model_copy(
        update={"name": "linkedin-notes", "steps": (note,), "research": True}
    )
    bumps = (bump,) * (CAMPAIGN_LENGTHS - 1)
    campaigns = generic.model_copy(
        update={
            "name": "campaigns",
            "steps": (generic.steps[0], *bumps),
            "daily_volume": 100_000,
            "target": generic.target.model_copy(
                update={"decision_maker": None, "max_contacts": 100_000}
            ),
            "manage_pipeline": False,
            "stop_on_reply": False,  # every contact gets all its emails: see _tally_campaigns
        }
    )
    return {
        "generic-4": four,
        "campaigns": campaigns,
        "personalised": policy("personalised").model_copy(update={"daily_volume": 400}),
        "calls-10am": calls,
        "calls-10pm": calls.model_copy(update={"name": "calls-10pm", "send_hour": 22}),
        "linkedin-notes": linkedin,
    }


def calibration_spec(n_companies: int) -> ExerciseSpec:
    spec = exercise_spec(CALIBRATION_EXERCISE)
    market = spec.market.model_copy(update={"n_companies": n_companies})
    return spec.model_copy(update={"market": market})


def _tally_messages(sandbox: Sandbox, counts: Counter[str], prefix: str) -> None:
    """Per email step: contacts delivered, replies and unsubscribes caused by that step."""
    step_of: dict[int, int] = {}
    sent: Counter[tuple[str, str]] = Counter()
    for event in sandbox.events:
        if event.type == ev.MESSAGE_SENT:
            key = (event.data["contact_id"], event.data["channel"])
            step_of[event.seq] = sent[key]
            sent[key] += 1
        elif event.type in (ev.DELIVERED, ev.REPLIED, ev.UNSUBSCRIBED, ev.COMPLAINED):
            step = step_of.get(event.data.get("cause", -1))
            if step is not None:
                counts[f"{prefix}{event.type}_step{min(step, 3)}"] += 1


def _tally_dialled(sandbox: Sandbox, counts: Counter[str], prefix: str) -> None:
    """Contacts dialled at least once, and those reached (connected) on any dial."""
    dialled: set[str] = set()
    reached: set[str] = set()
    for event in sandbox.events:
        if event.type == ev.CALL_RESULT:
            dialled.add(event.data["contact_id"])
            if event.data["connected"]:
                reached.add(event.data["contact_id"])
    counts[prefix + "dialled"] += len(dialled)
    counts[prefix + "reached"] += len(reached)


def _tally_call_meetings(sandbox: Sandbox, counts: Counter[str], prefix: str) -> None:
    """Meetings expected from the conversations held: the sum of their meeting odds.

    As with the campaigns, the odds the world drew with measure conversation -> meeting
    without the draw's noise (a few dozen meetings would swing the rate by a point)."""
    expected = 0.0
    for cs in sandbox.state.contacts.values():
        for touch in cs.explanations:
            if touch["channel"] == "call" and "p_meeting" in touch:
                expected += touch["p_meeting"]
    counts[prefix + "expected_call_meetings"] += expected  # type: ignore[assignment]


def _tally_campaigns(sandbox: Sandbox, counts: Counter[str], prefix: str) -> None:
    """Campaigns of 1-5 emails, for the same contacts, from one 5-email run.

    Every contact gets all five emails (no stop on reply), so the odds of each email are
    known; a campaign of n emails would have sent the same first n (their odds do not depend
    on what comes later). Expected answers to it: 1 - (1 - p1)...(1 - pn)(1 - late n), with
    each email's reply odds and the n-th's odds of an answer days later (an earlier email's
    late answer is overtaken by the next email). Drawn answers of separate campaigns would
    need about 100,000 contacts to tell the 9% of the second follow-up from noise.
    """
    for cs in sandbox.state.contacts.values():
        emails = [x for x in cs.explanations if x["channel"] == "email"]
        if len(emails) < CAMPAIGN_LENGTHS or cs.bounced:
            continue  # opted out on the way (or bounced): not a full campaign
        silent = 1.0
        for length, touch in enumerate(emails, start=1):
            silent *= 1.0 - (touch["p_reply"] if touch["inbox"] else 0.0)
            expected = 1.0 - silent * (1.0 - touch.get("p_late", 0.0))
            counts[f"{prefix}expected_{length}"] += expected
        first = emails[0]["p_reply"] if emails[0]["inbox"] else 0.0
        counts[f"{prefix}expected_first"] += first  # type: ignore[assignment]
        counts[f"{prefix}contacts"] += 1


def run_reference(
    seeds: Iterable[int],
    *,
    n_companies: int = 400,
    per_template: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Counter[str]:
    """Run every reference policy on every seed; return pooled counts."""
    spec = calibration_spec(n_companies)
    call_spec = calibration_spec(n_companies * CALL_WORLD_SCALE)
    counts: Counter[str] = Counter()
    policies = reference_policies()
    for seed in seeds:
        world = build_world(spec, seed)
        call_world = build_world(call_spec, seed)
        for name, reference in policies.items():
            large = name.startswith("calls-") or name == "campaigns"
            sandbox = Sandbox(
                call_world if large else world,
                call_spec if large else spec,
                analyse_per_template=per_template,
            )
            prefix = f"{name}:"
            if name == "campaigns":
                run_policy(sandbox, reference)
                _tally_campaigns(sandbox, counts, prefix)
                if progress is not None:
                    progress(f"seed {seed}: {name}")
                continue
            run_policy(sandbox, reference)
            _tally_messages(sandbox, counts, prefix)
            state_counts = sandbox.state.counts
            for key in (
                "calls",
                "conversations",
                "call_meetings",
                "linkedin_requests",
                "linkedin_accepted",
            ):
                counts[prefix + key] += state_counts[key]
            _tally_dialled(sandbox, counts, prefix)
            _tally_call_meetings(sandbox, counts, prefix)
            counts[prefix + "violations"] += len(sandbox.state.violations)
            figures = report_figures(sandbox)
            for stage, number in figures["stage_counts"].items():
                counts[f"{prefix}stage_{stage}"] += number
                counts[f"all:stage_{stage}"] += number  # every run manages its pipeline
            if progress is not None:
                progress(f"seed {seed}: {name}")
    return counts


def calibrate(
    seeds: Iterable[int],
    *,
    n_companies: int = 400,
    per_template: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[CalibrationRow]:
    counts = run_reference(
        seeds, n_companies=n_companies, per_template=per_template, progress=progress
    )
    return calibration_rows(counts)
