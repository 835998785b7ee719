"""The debrief: after submission, why each prospect did or did not answer.

Each touch's reply chance and the factors behind it were recorded when it was drawn
(``ContactState.explanations``); here they are turned into plain reasons, together with the
hidden truth that the learner could only guess at before. Each rule broken on a contact
comes with its source in the law table and what it cost (``consequences``), and
``sender_reputation`` says how far bounces, spam reports and missing opt-outs burnt the
sending domain.
"""

from __future__ import annotations

from typing import Any

from .debrief_calls import call_opening, call_turns
from .reputation import reputation, reputation_reasons
from .sandbox import Sandbox, truth_decision

# factor -> (reason when it held replies back, reason when it helped)
REASONS: dict[str, tuple[str, str]] = {
    "fit": ("outside the ideal customer profile", "a real fit for the offer"),
    "need": ("no pressing need right now", "a real need for the offer"),
    "responsiveness": ("rarely answers anyone", "usually answers"),
    "channel_preference": ("prefers another channel", "reached on their preferred channel"),
    "seniority": ("senior people answer cold outreach less", "their role answers more often"),
    "company_size": ("bigger companies answer less", ""),
    "industry": ("this industry answers cold email less", "this industry answers more"),
    "message": (
        "the message was weak for them (little personal or relevant)",
        "the message was personal and relevant",
    ),
    "timing": ("it landed at a poor hour or day", "it landed at a good hour"),
    "follow_up": ("later follow-ups earn fewer replies", ""),
    "opener": ("the call opener was weak", "the call opener was strong"),
    "record": (
        "the bought list named the wrong person for the role (research would have caught it)",
        "",
    ),
    "anger": ("they were angry: a rule had been broken on them (see the consequences)", ""),
}

#: what each kind of violation cost, in words (the debrief's "consequences")
CONSEQUENCES: dict[str, str] = {
    "call_outside_hours": "they were angrier: a call out of hours rarely books a meeting"
    " (meeting odds x{meeting:g} per broken rule)",
    "call_registered_number": "they were angrier (meeting odds x{meeting:g}); a real"
    " regulator fines each unscreened call",
    "call_cap_exceeded": "they were angrier (meeting odds x{meeting:g}): too many calls",
    "do_not_call": "they had asked not to be called: angrier (meeting odds x{meeting:g})",
    "email_without_consent": "mail they never agreed to: reply odds x{reply:g} and spam"
    " reports x{complaint:g} for every later email",
    "email_without_opt_out": "no way out: complaints doubled, and every email without an"
    " opt-out lowered your sender reputation (less of your mail reached inboxes)",
    "email_without_postal_address": "the email broke the law's form; the prospect did not"
    " notice, a regulator would",
    "email_without_contact_method": "the email broke CASL's form; the prospect did not"
    " notice, a regulator would",
}


def consequences(sandbox: Sandbox, contact_id: str) -> list[dict[str, Any]]:
    """Each rule broken on the contact: what it was, the rule's source, what it cost."""
    p = sandbox.params
    words = {
        "meeting": p.anger_meeting_factor,
        "reply": p.anger_reply_factor,
        "complaint": p.anger_complaint_factor,
    }
    out = []
    for v in sandbox.state.violations:
        if v.get("contact_id") != contact_id:
            continue
        kind = str(v["kind"])
        out.append(
            {
                "kind": kind,
                "detail": v.get("detail", ""),
                "basis": v.get("basis", "law"),
                "source": v.get("source", ""),
                "cost": CONSEQUENCES.get(kind, "").format(**words),
            }
        )
    return out


def sender_reputation(sandbox: Sandbox) -> dict[str, Any]:
    """The sender's reputation at the end of the run and what lowered it (all contacts)."""
    counts = sandbox.state.counts
    return {
        "score": reputation(counts, sandbox.params),
        "reasons": reputation_reasons(counts, sandbox.params),
    }


def _reasons(factors: dict[str, float]) -> list[str]:
    out: list[str] = []
    for name, value in sorted(factors.items(), key=lambda item: item[1]):
        low, high = REASONS.get(name, ("", ""))
        if value < 0.9 and low:
            out.append(low)
        elif value > 1.15 and high:
            out.append(high)
    return out


def debrief(sandbox: Sandbox) -> list[dict[str, Any]]:
    """One entry per contact the learner reached, in id order (only after submission)."""
    if not sandbox.submitted:
        raise ValueError("the debrief opens after submission: it shows hidden truth")
    out: list[dict[str, Any]] = []
    for contact_id in sorted(sandbox.state.contacts):
        cs = sandbox.state.contacts[contact_id]
        contact = sandbox.world.contact(contact_id)
        calls = [c for c in sandbox.state.calls if c["contact_id"] == contact_id]
        broken = consequences(sandbox, contact_id)
        if contact is None or not (cs.explanations or cs.inbound or calls or broken):
            continue
        truth = contact.truth
        touches = []
        for touch in cs.explanations:
            reasons = _reasons(touch["factors"])
            kept = touch.get("reputation")
            if kept is not None:
                reasons.append(
                    f"your sender reputation was down to {kept:.0%} (bounces, spam reports or"
                    " mail without an opt-out): fewer of your emails reached the inbox"
                )
            if not touch["inbox"]:
                why = "spammy wording" if kept is None else "spammy wording or a burnt sender"
                reasons.insert(0, f"landed in the spam folder ({why})")
            if "p_late" in touch and touch["step"] + 1 >= sandbox.params.fatigue_from_touch:
                reasons.append(
                    "a 4th email or later: it put off people who meant to answer later"
                    f" (their odds x{sandbox.params.late_reply_fatigue:g})"
                )
            rounded = {k: round(v, 3) for k, v in touch["factors"].items()}
            extra = {"p_late": round(touch["p_late"], 4)} if "p_late" in touch else {}
            touches.append(
                {
                    **touch,
                    **extra,
                    "p_reply": round(touch["p_reply"], 4),
                    "factors": rounded,
                    "reasons": reasons,
                }
            )
        out.append(
            {
                "contact_id": contact_id,
                "name": contact.name,
                "company": sandbox.world.company_of(contact).name,
                "answered": bool(cs.replied_on),
                "reply_kind": cs.reply_kind,
                "stage": cs.stage,
                "bounced": cs.bounced,
                "unsubscribed": cs.unsubscribed or cs.complained,
                "truth": {
                    "fits_icp": truth.fits_icp,
                    "budget": truth.budget,
                    "authority": truth.authority,
                    "need": truth.need,
                    "timeline": truth.timeline,
                    "interest": truth.interest,
                    "right_decision": truth_decision(contact),
                },
                "touches": touches,
                "calls": [
                    {"outcome": c["outcome"], "opening": call_opening(c), "turns": call_turns(c)}
                    for c in calls
                ],
                "consequences": broken,
            }
        )
    return out
