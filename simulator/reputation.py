"""Sender reputation: how far mailbox providers trust the learner's sending domain.

Read from the run's own counts when each email is sent (so a replay reads the same): the
share of emails that bounced, of delivered emails reported as spam, and of emails sent
without an opt-out. Each share above what providers tolerate lowers the score; the inbox
placement of every later email is multiplied by it, so a careless campaign (a bought list
that bounces, mail nobody can leave) really loses replies, also from its good prospects.
"""

from __future__ import annotations

from collections.abc import Mapping

from .response_params import PARAMS, Params


def reputation(counts: Mapping[str, int], params: Params = PARAMS) -> float:
    """The sender's reputation in ``[reputation_floor, 1]``: 1 is a clean sender.

    Shares are smoothed by ``reputation_smoothing`` clean emails, so that the first bounce
    of a new sender does not sink it.
    """
    sent = counts.get("sent_email", 0) + params.reputation_smoothing
    delivered = counts.get("delivered", 0) + params.reputation_smoothing
    bounce = counts.get("bounced", 0) / sent
    complaint = counts.get("complained", 0) / delivered
    no_opt_out = counts.get("sent_without_opt_out", 0) / sent
    score = 1.0
    score -= params.reputation_bounce_slope * max(0.0, bounce - params.reputation_bounce_tolerance)
    score -= params.reputation_complaint_slope * max(
        0.0, complaint - params.reputation_complaint_tolerance
    )
    score -= params.reputation_no_opt_out_slope * no_opt_out
    return round(max(params.reputation_floor, min(1.0, score)), 4)


def reputation_reasons(counts: Mapping[str, int], params: Params = PARAMS) -> list[str]:
    """What lowered the reputation, in words (the debrief's sender section)."""
    sent = counts.get("sent_email", 0) + params.reputation_smoothing
    delivered = counts.get("delivered", 0) + params.reputation_smoothing
    out = []
    bounce = counts.get("bounced", 0) / sent
    if bounce > params.reputation_bounce_tolerance:
        out.append(
            f"{counts.get('bounced', 0)} bounces ({bounce:.0%} of emails): providers distrust"
            " senders whose lists are stale (bought lists bounce most)"
        )
    complaint = counts.get("complained", 0) / delivered
    if complaint > params.reputation_complaint_tolerance:
        out.append(
            f"{counts.get('complained', 0)} spam reports ({complaint:.1%} of delivered mail):"
            " above Google's 0.3% line"
        )
    if counts.get("sent_without_opt_out", 0):
        out.append(
            f"{counts['sent_without_opt_out']} emails without an opt-out: filters treat them"
            " as spam"
        )
    return out
