"""Calibration: reference policies over many seeds, measured beside domain.md's figures.

Each row pools numerators and denominators over all seeds (not a mean of per-seed rates),
so a seed with few contacts weighs little. The runs:

- generic: one template, 4 email steps 3 days apart -> first-email reply rate, the first
  follow-up's lift, and unsubscribes per email at the 4th touch vs touches 1-3;
- personalised: researched first line, 2 steps, some search ads -> reply rate vs generic;
- calls at 10am (three dials two days apart, on a world three times larger) and at 10pm
  local -> conversations per dial, conversation -> meeting, prospects reached, violations;
- LinkedIn connection notes -> acceptance.

Every run manages its pipeline with the runner's rules; the stage conversions pool all of
them (the bottom of a funnel is a small number, so the more deals counted the better).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from course.exercise_specs import ExerciseSpec, PolicySpec, PolicyStep, parse_policy
from course.vocabulary import STAGES

from . import events as ev
from .exercises import build_world, exercise_spec
from .metrics import report_figures
from .runner import run_policy
from .sandbox import Sandbox

POLICY_DIR = Path(__file__).resolve().parent / "policies"
CALIBRATION_EXERCISE = "capstone-local-gyms"
#: Call runs use a world this many times larger: a meeting comes from about one conversation
#: in twenty, so the default world gives too few meetings to measure the rate.
CALL_WORLD_SCALE = 3


@dataclass(frozen=True)
class CalibrationRow:
    name: str
    measured: float | None
    low: float
    high: float
    unit: str
    published: str

    @property
    def inside(self) -> bool:
        return self.measured is not None and self.low <= self.measured <= self.high


@dataclass
class _Tally:
    counts: Counter[str]

    def rate(self, part: str, whole: str, scale: float = 100.0) -> float | None:
        return (
            round(scale * self.counts[part] / self.counts[whole], 2) if self.counts[whole] else None
        )


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
    return {
        "generic-4": four,
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
            calls = name.startswith("calls-")
            sandbox = Sandbox(
                call_world if calls else world,
                call_spec if calls else spec,
                analyse_per_template=per_template,
            )
            run_policy(sandbox, reference)
            prefix = f"{name}:"
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
            counts[prefix + "violations"] += len(sandbox.state.violations)
            figures = report_figures(sandbox)
            for stage, number in figures["stage_counts"].items():
                counts[f"{prefix}stage_{stage}"] += number
                counts[f"all:stage_{stage}"] += number  # every run manages its pipeline
            if progress is not None:
                progress(f"seed {seed}: {name}")
    return counts


Measured = Mapping[str, float | None]


@dataclass(frozen=True)
class _Target:
    """A calibration row before measuring: the figure, its accepted range, its sources."""

    name: str
    measure: str
    low: float
    high: float | Callable[[Measured], float]
    unit: str
    published: str


def _email_measures(counts: Counter[str]) -> dict[str, float | None]:
    """Reply rates, personalisation, the first follow-up's lift, fatigue at the 4th email."""
    t = _Tally(counts)
    g, p = "generic-4:", "personalised:"
    generic = t.rate(f"{g}replied_step0", f"{g}delivered_step0")
    personal = t.rate(f"{p}replied_step0", f"{p}delivered_step0")
    first = counts[f"{g}replied_step0"]
    first_two = first + counts[f"{g}replied_step1"]
    unsub_early = sum(counts[f"{g}unsubscribed_step{s}"] for s in range(3))
    delivered_early = sum(counts[f"{g}delivered_step{s}"] for s in range(3))
    unsub_fourth = t.rate(f"{g}unsubscribed_step3", f"{g}delivered_step3")
    unsub_before = round(100.0 * unsub_early / delivered_early, 2) if delivered_early else None
    return {
        "generic_reply": generic,
        "personal_reply": personal,
        "personal_ratio": round(personal / generic, 2) if generic and personal else None,
        "followup_lift": round(100.0 * (first_two / first - 1), 1) if first else None,
        "fatigue": round(unsub_fourth / unsub_before, 2) if unsub_fourth and unsub_before else None,
    }


def _call_and_funnel_measures(counts: Counter[str]) -> dict[str, float | None]:
    """Calls by day and night, LinkedIn acceptance, and the stage conversions."""
    t = _Tally(counts)
    stage = "all:stage_"
    out = {
        "calls_day": t.rate("calls-10am:conversations", "calls-10am:calls"),
        "call_meeting": t.rate("calls-10am:call_meetings", "calls-10am:conversations"),
        "call_reached": t.rate("calls-10am:reached", "calls-10am:dialled"),
        "calls_night": t.rate("calls-10pm:conversations", "calls-10pm:calls"),
        "night_violations": t.rate("calls-10pm:violations", "calls-10pm:calls"),
        "linkedin_accept": t.rate(
            "linkedin-notes:linkedin_accepted", "linkedin-notes:linkedin_requests"
        ),
    }
    for before, after in zip(STAGES, STAGES[1:], strict=False):
        out[f"{before}_to_{after}"] = t.rate(stage + after, stage + before)
    return out


def _half_the_daytime_rate(measured: Measured) -> float:
    return (measured["calls_day"] or 0.0) * 0.5


TARGETS: tuple[_Target, ...] = (
    _Target(
        "generic first email: reply rate",
        "generic_reply",
        3.0,
        6.0,
        "%",
        "3.43% (Instantly), 4.5% (Hunter), 5.8% (Belkins)",
    ),
    _Target(
        "personalised vs generic: reply ratio",
        "personal_ratio",
        2.0,
        5.3,
        "x",
        "~18% vs 3.43% for advanced personalisation (Cleverly): up to 5.2x",
    ),
    _Target(
        "personalised first email: reply rate",
        "personal_reply",
        6.0,
        18.0,
        "%",
        "~18% at best (Cleverly); top 10% >= 10.7% (Instantly)",
    ),
    _Target(
        "first follow-up: reply lift",
        "followup_lift",
        30.0,
        60.0,
        "%",
        "+40% (Woodpecker), +49% (Belkins 2023)",
    ),
    _Target(
        "4th email vs 1st-3rd: unsubscribe ratio",
        "fatigue",
        2.0,
        4.5,
        "x",
        "4+ emails roughly triple unsubscribes (Belkins)",
    ),
    _Target(
        "calls 10am local: conversations per dial",
        "calls_day",
        3.0,
        9.0,
        "%",
        "9.9% connect x 58% conversation = 5.7% (Belkins)",
    ),
    _Target(
        "calls 10am local: conversation -> meeting",
        "call_meeting",
        3.8,
        5.8,
        "%",
        "4.6% (Belkins, ~1 meeting per 370 dials), 4.82% (Cognism 2024); the range allows"
        " for sampling error (about 190 meetings over 20 seeds: +-0.35 points)",
    ),
    _Target(
        "calls: prospects reached within 3 dials",
        "call_reached",
        15.0,
        35.0,
        "%",
        "9.9% of dials connect, 24.5% of prospects eventually (Belkins)",
    ),
    _Target(
        "calls 10pm local: conversations per dial",
        "calls_night",
        0.0,
        _half_the_daytime_rate,
        "%",
        "outside 8am-9pm: fewer and angrier (TCPA window)",
    ),
    _Target(
        "calls 10pm local: violations per dial",
        "night_violations",
        100.0,
        200.0,
        "%",
        "every call outside 8am-9pm local breaks TCPA/TSR",
    ),
    _Target(
        "LinkedIn connection acceptance",
        "linkedin_accept",
        19.3,
        38.7,
        "%",
        "26.4-31.4% overall; C-suite 19.3%, managers 38.7%",
    ),
    _Target(
        "Lead -> MQL",
        "lead_to_mql",
        15.0,
        40.0,
        "%",
        "15-30% (First Page Sage), 20-40% (b2blead)",
    ),
    _Target(
        "MQL -> SQL",
        "mql_to_sql",
        13.0,
        60.0,
        "%",
        "13-22% (getfairview), 30-60% (b2blead), 30-50% (First Page Sage)",
    ),
    _Target(
        "SQL -> Opportunity",
        "sql_to_opportunity",
        30.0,
        80.0,
        "%",
        "30-50% (getfairview), 40-80% (b2blead), 50-75% (First Page Sage)",
    ),
    _Target(
        "Opportunity -> Customer",
        "opportunity_to_customer",
        10.0,
        35.0,
        "%",
        "10-30% (b2blead), 20-35% (getfairview), 15-30% (First Page Sage)",
    ),
)


def calibration_rows(counts: Counter[str]) -> list[CalibrationRow]:
    """Each target beside what the pooled counts measure."""
    measured = {**_email_measures(counts), **_call_and_funnel_measures(counts)}
    return [
        CalibrationRow(
            target.name,
            measured[target.measure],
            target.low,
            target.high if isinstance(target.high, float) else target.high(measured),
            target.unit,
            target.published,
        )
        for target in TARGETS
    ]


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
