"""The response model: how likely each outcome is, as a product of documented factors.

Every probability is ``base x factor x factor ...`` clamped to [0, 0.95]. Only
multiplication and division are used (no ``exp``/``log``), so the same inputs give the same
bits on every machine. Each base rate and factor is a field of ``Params`` with its source
in ``SOURCES``; docs/simulator.md lists them all (a test checks that it does). Factors
returned alongside the probability feed the learner's debrief ("why did they not answer?").
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from .market import Company, Contact
from .signals import Signals


@dataclass(frozen=True)
class Params:
    # --- email -------------------------------------------------------------------
    email_reply_base: float = 0.042
    quality_reference: float = 1.0
    email_open_base: float = 0.36
    open_without_subject: float = 0.45
    spam_folder_weight: float = 0.4
    personalization_weight: float = 2.8
    quality_floor: float = 0.26
    quality_slope: float = 0.6
    merge_error_factor: float = 0.3
    offence_reply_factor: float = 0.25
    incoherent_reply_factor: float = 0.3
    offence_unsubscribe_factor: float = 3.0
    offence_complaint_factor: float = 4.0
    followup_yield: tuple[float, ...] = (1.0, 0.45, 0.14, 0.06, 0.04)
    followup_gap_too_short: float = 0.75
    followup_gap_too_long: float = 0.85
    unsubscribe_base: float = 0.008
    complaint_base: float = 0.001
    fatigue_from_touch: int = 4
    fatigue_multiplier: float = 3.0
    no_opt_out_complaint_factor: float = 2.0
    # --- who the prospect is -------------------------------------------------------
    fit_yes: float = 1.25
    fit_no: float = 0.8
    need_yes: float = 1.3
    need_no: float = 0.7
    preferred_channel_yes: float = 1.25
    preferred_channel_no: float = 0.85
    seniority_email: dict[str, float] = field(
        default_factory=lambda: {
            "owner": 0.85,
            "c_level": 0.8,
            "vp": 0.9,
            "director": 0.95,
            "manager": 1.1,
            "staff": 1.0,
        }
    )
    size_factor: dict[str, float] = field(
        default_factory=lambda: {
            "1-10": 1.0,
            "11-50": 1.0,
            "51-200": 0.8,
            "201-1000": 0.61,
            "1001-5000": 0.55,
        }
    )
    # --- timing -------------------------------------------------------------------
    weekday_factor: tuple[float, ...] = (0.95, 1.05, 1.15, 1.05, 0.9, 0.7, 0.7)
    morning_factor: float = 1.15
    afternoon_factor: float = 1.0
    evening_factor: float = 0.85
    night_factor: float = 0.7
    # --- LinkedIn -------------------------------------------------------------------
    linkedin_accept_base: float = 0.30
    seniority_accept: dict[str, float] = field(
        default_factory=lambda: {
            "owner": 0.75,
            "c_level": 0.61,
            "vp": 0.8,
            "director": 0.9,
            "manager": 1.23,
            "staff": 1.1,
        }
    )
    linkedin_reply_base: float = 0.0544
    linkedin_personalization_lift: float = 0.72
    linkedin_note_limit: int = 300
    # --- calls ----------------------------------------------------------------------
    call_connect_base: float = 0.099
    call_conversation_given_connect: float = 0.58
    call_meeting_given_conversation: float = 0.047
    call_legal_start_hour: int = 8
    call_legal_end_hour: int = 21
    call_edge_hours_factor: float = 0.85
    call_out_of_hours_connect: float = 0.5
    call_out_of_hours_conversation: float = 0.2
    call_out_of_hours_dnc_request: float = 0.3
    # --- pipeline -------------------------------------------------------------------
    meeting_accept_base: float = 0.5
    speed_to_lead_late_factor: float = 0.32
    meeting_show_rate: float = 0.8
    proposal_base: float = 0.72
    deal_win_base: float = 0.3
    inbound_agree_search: float = 0.8
    inbound_agree_social: float = 0.55


PARAMS = Params()

SOURCES: dict[str, str] = {
    "email_reply_base": "tuned so a generic template lands at 3-6% (Instantly 3.43%, Hunter 4.5%,"
    " Belkins 5.8%); calibrate prints the result",
    "email_open_base": "open rate 27.7-44% (getgangly): the middle",
    "open_without_subject": "emails with no subject get far fewer responses (Boomerang); size"
    " of the drop is an assumption",
    "spam_folder_weight": "assumption: spam words matter less than reputation (domain.md s.3),"
    " so spamminess only partly sends mail to the spam folder",
    "personalization_weight": "advanced personalisation ~18% vs 3.43% (Cleverly via getgangly):"
    " strong personalisation gives 2-3x here",
    "quality_reference": "the grader's score of a plain generic template maps to 1.0, so the"
    " base rate is the published average",
    "quality_floor": "assumption: even a weak but clean message gets some replies",
    "quality_slope": "assumption: relevance, value, CTA, length, readability and focus lift"
    " replies (Boomerang, Lavender, Gong figures in domain.md s.3 give the direction)",
    "merge_error_factor": "assumption: an unfilled {{field}} or a wrong name ruins the message",
    "offence_reply_factor": "assumption: a message the grader finds hostile or deceptive (tone"
    " or honesty failed) gets a quarter of the replies; criticism and lies end conversations"
    " (Carnegie; CAN-SPAM on deception)",
    "incoherent_reply_factor": "assumption: word salad or keyword lists the grader cannot read"
    " as sentences get under a third of the replies (Boomerang: readability drives replies)",
    "offence_unsubscribe_factor": "assumption: offended or misled readers unsubscribe three"
    " times as often",
    "offence_complaint_factor": "assumption: offended or misled readers press 'spam' four"
    " times as often (deceptive messages are what CAN-SPAM complaints are for)",
    "followup_yield": "Belkins 2023: 1st follow-up +49%, 2nd +9%, 3rd -20%; Woodpecker ~40%",
    "followup_gap_too_short": "Belkins: wait 2-5 days; penalty size is an assumption",
    "followup_gap_too_long": "Belkins: wait 2-5 days; penalty size is an assumption",
    "unsubscribe_base": "assumption (no base unsubscribe rate in domain.md)",
    "complaint_base": "assumption (no base complaint rate in domain.md)",
    "fatigue_from_touch": "Belkins via coldemailmanifesto: 4+ emails",
    "fatigue_multiplier": "Belkins via coldemailmanifesto: roughly triples unsubscribes and"
    " complaints",
    "no_opt_out_complaint_factor": "assumption: people who cannot opt out press 'spam'",
    "fit_yes": "assumption: lead scoring's fit axis (domain.md s.2)",
    "fit_no": "assumption: lead scoring's fit axis (domain.md s.2)",
    "need_yes": "assumption: a real need raises engagement",
    "need_no": "assumption",
    "preferred_channel_yes": "assumption",
    "preferred_channel_no": "assumption",
    "seniority_email": "direction from LinkedIn acceptance by seniority (warmysender: C-suite"
    " 19.3%, managers 38.7%), softened for email (assumption)",
    "size_factor": "reply by company size: 1-50 staff 3.1%, 201-1,000 staff 1.9%"
    " (deathtocoldemails); 51-200 and 1001+ interpolated",
    "weekday_factor": "Wednesday peak, Tue-Thu best (getgangly; apollotechnical); sizes assumed",
    "morning_factor": "8-11am local best (deathtocoldemails 8-10am, getgangly 9:30-11:30)",
    "afternoon_factor": "reference",
    "evening_factor": "assumption",
    "night_factor": "assumption: buried under the morning's mail",
    "linkedin_accept_base": "acceptance 26.4% (Expandi/Belkins), 29.6% (2025), 31.4%"
    " (warmysender); a note does not change it (26.4% with or without)",
    "seniority_accept": "warmysender: C-suite 19.3/31.4 = 0.61, managers 38.7/31.4 = 1.23;"
    " others interpolated (assumption)",
    "linkedin_reply_base": "reply after acceptance 5.44% with a blank note (Expandi)",
    "linkedin_personalization_lift": "9.36% with a personalised note vs 5.44% (Expandi):"
    " 9.36/5.44 - 1",
    "linkedin_note_limit": "LinkedIn's limit for a connection note",
    "call_connect_base": "dial -> connect 9.9% (Belkins, 175k+ dials)",
    "call_conversation_given_connect": "connect -> conversation 58% (Belkins)",
    "call_meeting_given_conversation": "conversation -> meeting 4.6% (Belkins), 4.82%"
    " (Cognism 2024)",
    "call_legal_start_hour": "TCPA / Telemarketing Sales Rule: 8am local",
    "call_legal_end_hour": "TCPA / Telemarketing Sales Rule: 9pm local",
    "call_edge_hours_factor": "assumption: 8-9am and 5-9pm are legal but quieter",
    "call_out_of_hours_connect": "assumption: fewer people pick up at night",
    "call_out_of_hours_conversation": "assumption: those who do are annoyed",
    "call_out_of_hours_dnc_request": "assumption: some ask never to be called again",
    "meeting_accept_base": "tuned so MQL->SQL lands in 13-60% (getfairview 13-22%, b2blead"
    " 30-60%, First Page Sage 30-50%)",
    "speed_to_lead_late_factor": "MQL->SQL ~53% within an hour vs ~17% after 24 hours"
    " (prooflytics): 17/53",
    "meeting_show_rate": "assumption (no show-rate figure in domain.md)",
    "proposal_base": "tuned so SQL->Opportunity lands in 30-80% (getfairview 30-50%, b2blead"
    " 40-80%, First Page Sage 50-75%)",
    "deal_win_base": "tuned so Opportunity->Close lands in 10-35% (b2blead 10-30%, getfairview"
    " 20-35%, First Page Sage 15-30%)",
    "inbound_agree_search": "assumption: search-ad leads asked to be contacted",
    "inbound_agree_social": "assumption: social-ad leads are colder (cheaper CPL, WordStream)",
}


def parameter_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Params))


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
) -> Odds:
    """Odds for one delivered email. ``touch_number`` counts every touch, this one included."""
    factors = prospect_factors(contact, company, "email", params)
    factors.update(
        industry=industry_factor,
        message=quality * history_factor(signals, step, params),
        timing=timing_factor(hour, weekday, params),
        follow_up=followup_factor(step, gap_days, params),
    )
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
    return Odds(inbox, _clamp(opened), reply, _clamp(unsubscribe), _clamp(complaint), factors)


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


def call_odds(
    *,
    contact: Contact,
    company: Company,
    signals: Signals | None,
    hour: int,
    params: Params = PARAMS,
) -> CallOdds:
    """Dial -> connect -> conversation -> meeting (Belkins, Cognism), by local hour."""
    legal = params.call_legal_start_hour <= hour < params.call_legal_end_hour
    factors = prospect_factors(contact, company, "call", params)
    hour_factor = 1.0 if 9 <= hour < 17 else params.call_edge_hours_factor
    connect = params.call_connect_base * factors["responsiveness"] * hour_factor
    connect *= factors["channel_preference"]
    conversation = params.call_conversation_given_connect
    if not legal:
        connect *= params.call_out_of_hours_connect
        conversation *= params.call_out_of_hours_conversation
    opener = message_quality(signals, params) if signals is not None else 1.0
    factors.update(opener=opener, hour=hour_factor if legal else 0.0)
    meeting = params.call_meeting_given_conversation * factors["fit"] * factors["need"] * opener
    meeting *= factors["company_size"]
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
