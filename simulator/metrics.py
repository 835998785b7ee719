"""Pipeline metrics from a sandbox's folded state, with domain.md section 4's definitions.

- stage counts: contacts that ever reached each stage (a funnel); ``lost`` counts those
  lost now. Stages are entered one at a time, so every stage's count includes the later ones.
- conversion rate = reached the next stage / reached the stage x 100
- reply rate by channel = contacts who answered on the channel / contacts reached on it x 100
  (email: at least one email not bounced; call: dialled, an answer = a conversation)
- cost per lead = paid spend / leads; cost per acquisition = paid spend / customers
- pipeline velocity = opportunities x average deal value x win rate / sales-cycle days

The SDR's own results (``meeting_figures``, course/glossary.yaml): meetings booked (the
prospect accepted), meetings held, show rate = held / due x 100 where a due meeting is one
whose time came (held or no-show), meeting-to-opportunity rate = contacts whose meeting was
held and who reached opportunity / contacts whose meeting was held x 100, pipeline value =
those opportunities x the client's deal value. A rate with nothing to divide by is None.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .sandbox import DAY, Sandbox
from .state import STAGES

CONVERSIONS = (
    ("lead_to_mql", "lead", "mql"),
    ("mql_to_sql", "mql", "sql"),
    ("sql_to_opportunity", "sql", "opportunity"),
    ("opportunity_to_customer", "opportunity", "customer"),
)


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


def report_figures(sandbox: Sandbox) -> dict[str, Any]:
    """The figures a report submission states, computed from the log (the grader's truth)."""
    contacts = sandbox.state.contacts.values()
    reached: Counter[str] = Counter()
    for cs in contacts:
        reached.update(cs.stages_reached)
    stage_counts = {stage: reached[stage] for stage in STAGES}
    stage_counts["lost"] = sum(1 for cs in contacts if cs.stage == "lost")
    rates = {name: _pct(reached[b], reached[a]) for name, a, b in CONVERSIONS}
    by_channel: dict[str, float] = {}
    for channel in ("email", "linkedin", "call"):
        touched = [cs for cs in contacts if channel in cs.channels]
        if channel == "email":
            touched = [cs for cs in touched if cs.delivered]
        if touched:
            answered = sum(1 for cs in touched if channel in cs.replied_on)
            by_channel[channel] = _pct(answered, len(touched))
    spent = sandbox.state.spent
    leads, customers = reached["lead"], reached["customer"]
    return {
        "stage_counts": stage_counts,
        "conversion_rates": rates,
        "reply_rate_by_channel": by_channel,
        "cost_per_lead": round(spent / leads, 2) if leads else None,
        "cost_per_acquisition": round(spent / customers, 2) if customers else None,
    }


def meeting_figures(sandbox: Sandbox) -> dict[str, Any]:
    """Meetings booked and held, show rate, meeting-to-opportunity rate, pipeline value."""
    counts = sandbox.state.counts
    booked, held = counts["meetings_booked"], counts["meetings_held"]
    due = held + counts["meetings_no_show"]
    met = [cs for cs in sandbox.state.contacts.values() if cs.meeting == "held"]
    opportunities = sum(1 for cs in met if "opportunity" in cs.stages_reached)
    return {
        "meetings_booked": booked,
        "meetings_held": held,
        "show_rate": _pct(held, due) if due else None,
        "meeting_to_opportunity_rate": _pct(opportunities, len(met)) if met else None,
        "pipeline_value": opportunities * sandbox.exercise.client.deal_value,
    }


def pipeline_velocity(sandbox: Sandbox) -> float | None:
    """USD of expected revenue per day moving through the pipeline (None before a win)."""
    contacts = list(sandbox.state.contacts.values())
    opportunities = sum(1 for cs in contacts if "opportunity" in cs.stages_reached)
    won = [cs for cs in contacts if "customer" in cs.stages_reached]
    if not opportunities or not won:
        return None
    cycle = sum(cs.stage_times["customer"] - cs.stage_times["lead"] for cs in won) / len(won)
    cycle_days = max(cycle / DAY, 1.0)
    win_rate = len(won) / opportunities
    value = sandbox.exercise.client.deal_value
    return round(opportunities * value * win_rate / cycle_days, 2)


def metrics(sandbox: Sandbox) -> dict[str, Any]:
    """Everything ``leadworks simulate`` prints: activity, outcomes, pipeline and money."""
    counts = sandbox.state.counts
    violations: Counter[str] = Counter(v["kind"] for v in sandbox.state.violations)
    out = {
        "exercise_id": sandbox.exercise.id,
        "seed": sandbox.world.seed,
        "now": sandbox.now,
        "activity": {
            "emails_sent": counts["sent_email"],
            "linkedin_sent": counts["sent_linkedin"],
            "linkedin_requests": counts["linkedin_requests"],
            "linkedin_accepted": counts["linkedin_accepted"],
            "calls": counts["calls"],
            "calls_connected": counts["calls_connected"],
            "conversations": counts["conversations"],
            "discovery_calls": counts["discovery_calls"],
        },
        "outcomes": {
            "delivered": counts["delivered"],
            "bounced": counts["bounced"],
            "opened": counts["opened"],
            "replied": counts["replied_email"] + counts["replied_linkedin"],
            "unsubscribed": counts["unsubscribed"],
            "complaints": counts["complained"],
            "meetings_booked": counts["meetings_booked"],
            "meetings_held": counts["meetings_held"],
            "inbound_leads": counts["inbound_leads"],
            "deals_won": counts["deal_won"],
            "deals_lost": counts["deal_lost"],
        },
        "spend": {"total": sandbox.state.spent, **sandbox.state.spent_by_channel},
        "violations": dict(sorted(violations.items())),
        "pipeline_velocity": pipeline_velocity(sandbox),
    }
    out.update(report_figures(sandbox))
    return out
