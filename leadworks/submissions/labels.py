"""Words for people: contact names instead of ids, labels instead of field paths.

The grader cites what it looked at by id (``p000005``) and by field path
(``figures.conversion_rates.lead_to_mql``): exact, and right for links and replays, but
nobody should have to read them. When a grade is stored, ``readable`` adds a ``labels``
list beside every cited record (a contact's name, a figure's label) and rewrites ids and
paths inside verdicts, advice and notes, so every page, the regrade queue and the exports
read the same words without rebuilding a world. The ids stay in the evidence for links.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from course.vocabulary import CHANNELS, STAGE_LABELS

CONTACT_ID = re.compile(r"\bp\d{6}\b")
FIELD_PATH = re.compile(
    r"\b(?:figures\.)?(?:stage_counts|conversion_rates|reply_rate_by_channel)\.[a-z_]+\b"
    r"|\bfigures\.cost_per_(?:lead|acquisition)\b"
    r"|\bfigures\.meetings\.[a-z_]+\b"
    r"|\bsteps\[\d+\]\.(?:body|subject|channel|delay_days|send_time)\b"
    r"|\bleads\[\d+\](?:\.[a-z_]+)*"
    r"|\bhooks\[\d+\]\.(?:hook|source|contact_id)\b"
)
STAGE_ARROW = re.compile(
    r"\b(lead|mql|sql|opportunity|customer)\s*(?:->|→)\s*(mql|sql|opportunity|customer)\b"
)
TOP_FIELDS = {
    "subject": "Subject",
    "body": "Message",
    "analysis": "Analysis",
    "notes": "Notes",
    "note": "Note",
    "contact_ids": "Contact list",
    "figures": "Figures",
    "cost_per_lead": "Cost per lead",
    "cost_per_acquisition": "Cost per customer",
    "figures.cost_per_lead": "Cost per lead",
    "figures.cost_per_acquisition": "Cost per customer",
}
#: report v2's meeting figures, as the report builder and the glossary name them
MEETING_LABELS = {
    "meetings_booked": "Meetings booked",
    "meetings_held": "Meetings held",
    "show_rate": "Show rate (%)",
    "meeting_to_opportunity_rate": "Meeting-to-opportunity rate (%)",
    "pipeline_value": "Pipeline value",
}
STEP_FIELDS = {
    "body": "message",
    "subject": "subject",
    "channel": "channel",
    "delay_days": "delay",
    "send_time": "send time",
}


CHECK_LABELS = {
    "work_sent": "Sent in the run",
    "work_research": "Research in the run",
    "work_target": "The right prospect",
    "work_response": "What the prospect did",
    "work_used": "Used in the run",
    "work_search": "Market searched",
    "work_listed": "List built in the sandbox",
    "work_discovery": "Discovery calls",
    "work_revealed": "Criteria revealed",
    "work_recorded": "Qualification recorded",
    "goal_meetings": "Goal: meetings held",
    "goal_sqls": "Goal: SQLs",
    "goal_cost_per_lead": "Goal: cost per lead",
    "outreach_sample": "The outreach you sent",
    "call_to_action": "Call to action",
    "fit_precision": "Fit with the ICP",
    "contact_data": "Contact data",
    "do_not_contact": "Do-not-contact",
    "criteria_accuracy": "Criteria judged right",
    "decision_accuracy": "Decisions right",
    "costly_mistakes": "Costly mistakes",
    "stage_counts": "Stage counts",
    "conversion_rates": "Conversion rates",
    "reply_rates": "Reply rates",
    "drop_off": "Biggest drop-off",
    "prospect_focus": "Focus on the prospect",
    "channel_fit": "Fit for the channel",
    "channel_mix": "Channel mix",
    "stop_rules": "Stop rules",
    "new_angle": "A new angle",
    "message_quality": "Message quality",
}


def check_label(check_id: str) -> str:
    """A check id in words: ``work_research`` -> ``Research in the run``; ``step2.greeting``
    -> ``Step 2: Greeting``."""
    prefix, _, rest = check_id.rpartition(".")
    name = CHECK_LABELS.get(rest, rest.replace("_", " ").capitalize())
    step = re.fullmatch(r"step(\d+)", prefix)
    return f"Step {step.group(1)}: {name}" if step else name


def stage(name: str) -> str:
    return STAGE_LABELS.get(name, name.replace("_", " ").capitalize())


def transition(key: str) -> str:
    """``lead_to_mql`` -> ``Lead → MQL``."""
    if "_to_" not in key:
        return stage(key)
    a, b = key.split("_to_", 1)
    return f"{stage(a)} → {stage(b)}"


def field_label(path: str) -> str:
    """A grader field path in words: ``figures.conversion_rates.lead_to_mql`` ->
    ``Lead → MQL conversion rate``; ``steps[1].body`` -> ``Step 2 message``."""
    if path in TOP_FIELDS:
        return TOP_FIELDS[path]
    step = re.fullmatch(r"steps\[(\d+)\]\.(\w+)", path)
    if step:
        return f"Step {int(step.group(1)) + 1} {STEP_FIELDS.get(step.group(2), step.group(2))}"
    hook = re.fullmatch(r"hooks\[(\d+)\]\.(hook|source|contact_id)", path)
    if hook:
        part = {"hook": "", "source": " source", "contact_id": " contact"}[hook.group(2)]
        return f"Hook {int(hook.group(1)) + 1}{part}"
    lead = re.fullmatch(r"leads\[(\d+)\](?:\.(.+))?", path)
    if lead:
        rest = (lead.group(2) or "").replace("criteria.", "").replace(".", " ").replace("_", " ")
        return f"Lead {int(lead.group(1)) + 1}" + (f" {rest}" if rest else "")
    row = re.fullmatch(r"rows\.([^.]+)\.(\w+)", path)
    if row:  # a drill's table: rows.<item id>.<field>
        return f"Row {row.group(1)}, {row.group(2).replace('_', ' ')}"
    if path.startswith("texts."):  # a drill's free texts
        return f"Your {path.removeprefix('texts.').replace('_', ' ')}"
    parts = path.removeprefix("figures.").split(".")
    if len(parts) == 2:
        group, key = parts
        if group == "stage_counts":
            return f"{stage(key)} count"
        if group == "conversion_rates":
            return f"{transition(key)} conversion rate"
        if group == "reply_rate_by_channel":
            return f"{CHANNELS.get(key, key.capitalize())} reply rate"
        if group == "meetings" and key in MEETING_LABELS:
            return MEETING_LABELS[key].removesuffix(" (%)")
    return path.replace("_", " ").replace(".", " › ").capitalize()


def record_label(record_id: str, names: Mapping[str, str]) -> str:
    """A contact's name, a figure's label, or the record id as a last resort."""
    if record_id in names:
        return names[record_id]
    if CONTACT_ID.fullmatch(record_id):
        return record_id
    return field_label(record_id)


def humanize(text: str, names: Mapping[str, str]) -> str:
    """Ids and paths inside a sentence replaced by names and labels."""
    if not text:
        return text
    text = CONTACT_ID.sub(lambda m: names.get(m.group(0), m.group(0)), text)
    text = FIELD_PATH.sub(lambda m: field_label(m.group(0)), text)
    return STAGE_ARROW.sub(lambda m: f"{stage(m.group(1))} → {stage(m.group(2))}", text)


def names_in(context: Mapping[str, Any]) -> dict[str, str]:
    """Contact id -> name, from every part of a grade context that knows names."""
    names: dict[str, str] = {}
    work = context.get("work")
    sources = [context.get("contacts"), work.get("contacts") if isinstance(work, Mapping) else None]
    for source in sources:
        if isinstance(source, Mapping):
            for cid, facts in source.items():
                if isinstance(facts, Mapping) and isinstance(facts.get("name"), str):
                    names[str(cid)] = facts["name"]
    if isinstance(work, Mapping) and isinstance(work.get("names"), Mapping):
        names.update({str(k): str(v) for k, v in work["names"].items()})
    return names


def readable(result: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """A stored grade (``Grade.to_dict()``) with labels beside cited records and words
    instead of ids in its texts. Scores and ids are untouched."""
    out = dict(result)
    out["checks"] = [_check(c, names) for c in result.get("checks", ())]
    out["parts"] = [readable(p, names) for p in result.get("parts", ())]
    return out


def _check(check: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    out = dict(check)
    for key in ("verdict", "advice"):
        if isinstance(out.get(key), str):
            out[key] = humanize(out[key], names)
    evidence = []
    for item in check.get("evidence", ()):
        item = dict(item)
        if isinstance(item.get("note"), str):
            item["note"] = humanize(item["note"], names)
        if "record_ids" in item:
            item["labels"] = [record_label(str(r), names) for r in item["record_ids"]]
        evidence.append(item)
    out["evidence"] = evidence
    return out
