"""The response model: how likely each outcome is, as a product of documented factors.

Every probability is ``base x factor x factor ...`` clamped to [0, 0.95]. Only
multiplication and division are used (no ``exp``/``log``), so the same inputs give the same
bits on every machine. Each base rate and factor is a field of ``Params`` with its source
in ``SOURCES`` (both in response_params.py, re-exported here); docs/simulator.md lists
them all (a test checks that it does). Factors returned alongside the probability feed the
learner's debrief ("why did they not answer?").
"""

from __future__ import annotations

from dataclasses import dataclass

from .market import Company, Contact
from .response_params import PARAMS, SOURCES, Params, parameter_names
from .signals import Signals

__all__ = [
    "PARAMS",
    "SOURCES",
    "CallOdds",
    "Odds",
    "Params",
    "call_odds",
    "call_opener_quality",
    "deal_win_odds",
    "email_odds",
    "followup_factor",
    "history_factor",
    "late_reply_odds",
    "linkedin_accept_odds",
    "linkedin_quality",
    "linkedin_reply_odds",
    "meeting_accept_odds",
    "meaning_factor",
    "message_quality",
    "parameter_names",
    "proposal_odds",
    "prospect_factors",
    "timing_factor",
]


def _clamp(p: float) -> float:
    return 0.0 if p < 0.0 else (0.95 if p > 0.95 else p)


@dataclass(frozen=True, slots=True)
class Odds:
    """Probabilities for one touch and the factors behind the main one (for the debrief)."""

    inbox: float
    open: float
    reply: float
    unsubscribe: float
    complaint: float
    factors: dict[str, float]


def message_quality(signals: Signals, params: Params = PARAMS) -> float:
    """How good the text is, as a reply multiplier (1.0 = a plain, clean, generic message)."""
    rest = (
        0.30 * signals.relevance
        + 0.20 * signals.value
        + 0.15 * signals.cta
        + 0.15 * signals.length_fit
        + 0.10 * signals.readability
        + 0.10 * signals.prospect_focus
    )
    quality = (params.quality_floor + params.quality_slope * rest) * (
        1.0 + params.personalization_weight * signals.personalization
    )
    quality /= params.quality_reference
    if signals.unfilled_merge_field or signals.wrong_name:
        quality *= params.merge_error_factor
    return quality * meaning_factor(signals, params)


def meaning_factor(signals: Signals, params: Params = PARAMS, step: int = 1) -> float:
    """What the grader's meaning checks found, as a reply multiplier (1.0 when clean).

    Message quality is shared by every step of a thread, so it counts only what misleads on
    any step (``step=1``); ``history_factor`` adds an invented history on a first touch.
    """
    factor = params.offence_reply_factor if signals.offends(step) else 1.0
    return factor * (params.incoherent_reply_factor if signals.incoherent else 1.0)


def history_factor(signals: Signals, step: int, params: Params = PARAMS) -> float:
    """A first touch that claims an earlier exchange (and offends in no other way)."""
    first_only = signals.offends(step) and not signals.offends(1)
    return params.offence_reply_factor if first_only else 1.0


def timing_factor(hour: int, weekday: int, params: Params = PARAMS) -> float:
    """Local hour and weekday the message lands (email and LinkedIn)."""
    if 8 <= hour < 11:
        by_hour = params.morning_factor
    elif 11 <= hour < 17:
        by_hour = params.afternoon_factor
    elif 17 <= hour < 21:
        by_hour = params.evening_factor
    else:
        by_hour = params.night_factor
    return by_hour * params.weekday_factor[weekday]


def followup_factor(step: int, gap_days: float | None, params: Params = PARAMS) -> float:
    """Step 0 is the first touch; later steps yield less (Belkins), the gap matters."""
    yields = params.followup_yield
    factor = yields[step] if step < len(yields) else yields[-1]
    if step and gap_days is not None:
        if gap_days < 2:
            factor *= params.followup_gap_too_short
        elif gap_days > 7:
            factor *= params.followup_gap_too_long
    return factor


def prospect_factors(
    contact: Contact, company: Company, channel: str, params: Params = PARAMS
) -> dict[str, float]:
    """Who the prospect is: fit, need, responsiveness, channel preference, seniority, size."""
    truth = contact.truth
    return {
        "fit": params.fit_yes if truth.fits_icp else params.fit_no,
        "need": params.need_yes if truth.need else params.need_no,
        "responsiveness": 0.5 + contact.responsiveness,
        "channel_preference": params.preferred_channel_yes
        if contact.preferred_channel == channel
        else params.preferred_channel_no,
        "seniority": params.seniority_email[contact.seniority],
        "company_size": params.size_factor.get(company.size_band, 0.55),
    }


def _product(factors: dict[str, float]) -> float:
    out = 1.0
    for value in factors.values():
        out *= value
    return out


def email_odds(
    *,
    contact: Contact,
    company: Company,
    signals: Signals,
    quality: float,
    has_subject: bool,
    step: int,
    gap_days: float | None,
    touch_number: int,
    hour: int,
    weekday: int,
    industry_factor: float,
    params: Params = PARAMS,
    grievances: int = 0,
    wrong_role: bool = False,
) -> Odds:
    """Odds for one delivered email. ``touch_number`` counts every touch, this one included;
    ``grievances`` counts the rules broken on this contact (each angers them more)."""
    factors = prospect_factors(contact, company, "email", params)
    factors.update(
        industry=industry_factor,
        message=quality * history_factor(signals, step, params),
        timing=timing_factor(hour, weekday, params),
        follow_up=followup_factor(step, gap_days, params),
    )
    if grievances:
        factors["anger"] = params.anger_reply_factor**grievances
    if wrong_role:  # a bought list named someone who left the role or never held it
        factors["record"] = params.wrong_role_factor
    reply = _clamp(params.email_reply_base * _product(factors))
    inbox = max(0.0, 1.0 - params.spam_folder_weight * signals.spamminess)
    opened = params.email_open_base * (0.5 + contact.responsiveness)
    if not has_subject:
        opened *= params.open_without_subject
    fatigue = params.fatigue_multiplier if touch_number >= params.fatigue_from_touch else 1.0
    unsubscribe = params.unsubscribe_base * fatigue * (1.0 + signals.spamminess)
    complaint = params.complaint_base * fatigue * (1.0 + 3.0 * signals.spamminess)
    if not signals.has_opt_out:
        complaint *= params.no_opt_out_complaint_factor
    if signals.unfilled_merge_field or signals.wrong_name:
        complaint *= 3.0
    if signals.offends(step):
        unsubscribe *= params.offence_unsubscribe_factor
        complaint *= params.offence_complaint_factor
    if not contact.truth.fits_icp:
        unsubscribe *= 1.5
    if grievances:
        complaint *= params.anger_complaint_factor**grievances
    return Odds(inbox, _clamp(opened), reply, _clamp(unsubscribe), _clamp(complaint), factors)


def late_reply_odds(odds: Odds, touch_number: int, params: Params = PARAMS) -> float:
    """The chance that someone who did not answer this email answers the thread later.

    A share of what a first email to them would get (the follow-up factor taken out), cut
    by ``late_reply_fatigue`` from the fatigue touch on: the barrage that puts people off.
    Only the thread's newest email holds this chance (each email renews it), which is how
    a 4th or 5th email can cost more replies than it brings (Belkins 2023).
    """
    factors = {k: v for k, v in odds.factors.items() if k != "follow_up"}
    late = params.email_reply_base * _product(factors) * params.late_reply_share
    if touch_number >= params.fatigue_from_touch:
        late *= params.late_reply_fatigue
    return _clamp(late)


def linkedin_accept_odds(contact: Contact, params: Params = PARAMS) -> float:
    """Connection acceptance: seniority and responsiveness, not the note (Expandi)."""
    accept = params.linkedin_accept_base * params.seniority_accept[contact.seniority]
    return _clamp(accept * (0.5 + contact.responsiveness))


def linkedin_quality(signals: Signals, params: Params = PARAMS) -> float:
    """A LinkedIn note's effect: personalisation lifts replies (Expandi), errors ruin them."""
    quality = 1.0 + params.linkedin_personalization_lift * signals.personalization
    if signals.unfilled_merge_field or signals.wrong_name:
        quality *= params.merge_error_factor
    return quality * meaning_factor(signals, params)


def linkedin_reply_odds(
    *,
    contact: Contact,
    company: Company,
    quality: float,
    step: int,
    gap_days: float | None,
    touch_number: int,
    params: Params = PARAMS,
) -> Odds:
    """Reply to a note or message once connected."""
    factors = prospect_factors(contact, company, "linkedin", params)
    factors.pop("seniority")  # already in the acceptance
    factors.update(
        message=quality,
        follow_up=followup_factor(step, gap_days, params),
    )
    reply = _clamp(params.linkedin_reply_base * _product(factors))
    fatigue = params.fatigue_multiplier if touch_number >= params.fatigue_from_touch else 1.0
    unsubscribe = params.unsubscribe_base * fatigue
    return Odds(1.0, 1.0, reply, _clamp(unsubscribe), 0.0, factors)


@dataclass(frozen=True, slots=True)
class CallOdds:
    connect: float
    conversation: float
    meeting: float
    legal_hours: bool
    factors: dict[str, float]


def call_opener_quality(signals: Signals, params: Params = PARAMS) -> float:
    """How good a call opener is, by the grader's call rubric, as a meeting multiplier.

    The channel's own form weighs most (permission or an upfront contract, the reason for
    the call, an open question: the grader's channel fit); then the pain, a result, one clear
    ask, 20-40 seconds and talking about them. Unfilled merge fields (said aloud) and the
    grader's meaning flags cut it as in a message. Logs older than the channel-fit signal
    read the email formula instead (``message_quality``), so they replay as recorded.
    """
    if signals.channel_fit is None:
        return message_quality(signals, params)
    rest = (
        0.30 * signals.channel_fit
        + 0.20 * signals.relevance
        + 0.15 * signals.value
        + 0.15 * signals.cta
        + 0.10 * signals.length_fit
        + 0.10 * signals.prospect_focus
    )
    quality = (params.call_quality_floor + params.call_quality_slope * rest) * (
        1.0 + params.call_personalization_weight * signals.personalization
    )
    if signals.unfilled_merge_field or signals.wrong_name:
        quality *= params.merge_error_factor
    return quality * meaning_factor(signals, params)


def call_odds(
    *,
    contact: Contact,
    company: Company,
    signals: Signals | None,
    hour: int,
    legal: bool | None = None,
    params: Params = PARAMS,
    grievances: int = 0,
    wrong_role: bool = False,
) -> CallOdds:
    """Dial -> connect -> conversation -> meeting (Belkins, Cognism), by local hour.

    ``legal`` comes from calling_hours.py (the contact's own window); without it the
    default window of the parameters is read from ``hour`` alone.
    """
    if legal is None:
        legal = params.call_legal_start_hour <= hour < params.call_legal_end_hour
    factors = prospect_factors(contact, company, "call", params)
    hour_factor = 1.0 if 9 <= hour < 17 else params.call_edge_hours_factor
    connect = params.call_connect_base * factors["responsiveness"] * hour_factor
    connect *= factors["channel_preference"]
    conversation = params.call_conversation_given_connect
    if not legal:
        connect *= params.call_out_of_hours_connect
        conversation *= params.call_out_of_hours_conversation
    opener = call_opener_quality(signals, params) if signals is not None else 1.0
    factors.update(opener=opener, hour=hour_factor if legal else 0.0)
    meeting = params.call_meeting_given_conversation * factors["fit"] * factors["need"] * opener
    meeting *= factors["company_size"]
    if grievances:  # a call that broke a rule (or came after one) rarely books a meeting
        factors["anger"] = params.anger_meeting_factor**grievances
        meeting *= factors["anger"]
    if wrong_role:
        factors["record"] = params.wrong_role_factor
        meeting *= factors["record"]
    return CallOdds(_clamp(connect), _clamp(conversation), _clamp(meeting), legal, factors)


def meeting_accept_odds(
    contact: Contact, source: str, delay_hours: float, params: Params = PARAMS
) -> float:
    """An invited prospect says yes: their truth, how they showed interest, speed to lead."""
    truth = contact.truth
    by_source = {
        "interested": 1.0,
        "curious": 0.6,
        "inbound": 0.9,
        "not_now": 0.25,
        "call": 1.0,
    }.get(source, 0.3)
    late = params.speed_to_lead_late_factor
    speed = (
        1.0
        if delay_hours <= 1
        else (late if delay_hours >= 24 else 1 - (1 - late) * (delay_hours - 1) / 23)
    )
    if source == "call_meeting":  # they said yes on the phone: the invite confirms it
        return _clamp(params.call_meeting_confirm * speed)
    if source == "interested":  # they asked for times: most take the one offered
        return _clamp(params.interested_meeting_accept * speed)
    p = params.meeting_accept_base * by_source * speed
    p *= (1.0 if truth.need else 0.5) * (1.0 if truth.timeline else 0.6)
    return _clamp(p)


def proposal_odds(contact: Contact, params: Params = PARAMS) -> float:
    truth = contact.truth
    return _clamp(
        params.proposal_base * (1.0 if truth.need else 0.45) * (1.0 if truth.budget else 0.7)
    )


def deal_win_odds(contact: Contact, wants_proposal: bool, params: Params = PARAMS) -> float:
    truth = contact.truth
    p = params.deal_win_base * (1.0 if truth.budget else 0.45)
    p *= (1.0 if truth.authority else 0.5) * (1.0 if truth.timeline else 0.6)
    return _clamp(p if wants_proposal else p * 0.15)
