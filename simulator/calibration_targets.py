"""The calibration's targets: each published figure, its accepted range and its sources,
and how it is measured from the pooled counts of the reference runs (calibration.py).

Kept apart from the runs so that the table of figures reads as one list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from course.vocabulary import STAGES


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
    """Reply rates, personalisation, unsubscribes at the 4th email; the campaign ratios."""
    t = _Tally(counts)
    g, p = "generic-4:", "personalised:"
    generic = t.rate(f"{g}replied_step0", f"{g}delivered_step0")
    personal = t.rate(f"{p}replied_step0", f"{p}delivered_step0")
    unsub_early = sum(counts[f"{g}unsubscribed_step{s}"] for s in range(3))
    delivered_early = sum(counts[f"{g}delivered_step{s}"] for s in range(3))
    unsub_fourth = t.rate(f"{g}unsubscribed_step3", f"{g}delivered_step3")
    unsub_before = round(100.0 * unsub_early / delivered_early, 2) if delivered_early else None
    return {
        **_campaign_measures(counts),
        "generic_reply": generic,
        "personal_reply": personal,
        "personal_ratio": round(personal / generic, 2) if generic and personal else None,
        "fatigue": round(unsub_fourth / unsub_before, 2) if unsub_fourth and unsub_before else None,
    }


def _campaign_measures(counts: Counter[str]) -> dict[str, float | None]:
    """Campaigns of 1-5 emails to the same contacts (expected answers, see
    calibration._tally_campaigns): each follow-up's lift on the campaign's reply rate, 3
    emails against 5, the 3-email rate and the first email's share of a 5-email campaign."""
    whole = counts["campaigns:contacts"]
    if not whole:
        return dict.fromkeys(
            ("lift_1", "lift_2", "lift_3", "three_vs_five", "three_email_reply", "first_share")
        )
    rate = {n: counts[f"campaigns:expected_{n}"] / whole for n in range(1, 6)}
    out: dict[str, float | None] = {
        f"lift_{n}": round(100.0 * (rate[n + 1] / rate[n] - 1), 1) for n in (1, 2, 3)
    }
    out["three_vs_five"] = round(rate[3] / rate[5], 2)
    out["three_email_reply"] = round(100.0 * rate[3], 2)
    out["first_share"] = round(100.0 * counts["campaigns:expected_first"] / whole / rate[5], 1)
    return out


def _call_and_funnel_measures(counts: Counter[str]) -> dict[str, float | None]:
    """Calls by day and night, LinkedIn acceptance, and the stage conversions."""
    t = _Tally(counts)
    stage = "all:stage_"
    out = {
        "calls_day": t.rate("calls-10am:conversations", "calls-10am:calls"),
        "call_meeting": t.rate("calls-10am:expected_call_meetings", "calls-10am:conversations"),
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
        "first follow-up: campaign reply lift (2 emails vs 1)",
        "lift_1",
        30.0,
        60.0,
        "%",
        "+40% (Woodpecker), +49% (Belkins 2023)",
    ),
    _Target(
        "second follow-up: campaign reply lift (3 emails vs 2)",
        "lift_2",
        0.0,
        20.0,
        "%",
        "+9% (Belkins 2023)",
    ),
    _Target(
        "third follow-up: campaign reply lift (4 emails vs 3)",
        "lift_3",
        -30.0,
        -10.0,
        "%",
        "-20% (Belkins 2023)",
    ),
    _Target(
        "3-email vs 5-email campaign: reply ratio",
        "three_vs_five",
        1.05,
        1.5,
        "x",
        "3-email campaigns do best (Belkins 2023); 4+ emails lose replies",
    ),
    _Target(
        "5-email campaign: first email's share of replies",
        "first_share",
        40.0,
        70.0,
        "%",
        "the first email gets 58% of all replies in 4-7 step sequences (Instantly)",
    ),
    _Target(
        "3-email campaign: reply rate (expected)",
        "three_email_reply",
        5.0,
        12.0,
        "%",
        "9.2% for 3-email campaigns (Belkins 2023); 5.8% average (Belkins)",
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
        "4.6% (Belkins, ~1 meeting per 370 dials), 4.82% (Cognism 2024); expected from the"
        " meeting odds of the conversations held (the range allows for which were held)",
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
