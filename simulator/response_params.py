"""The response model's parameters: every base rate and factor, each with its source.

Kept apart from the odds functions (response.py) so that the numbers and where they come
from read as one table: ``Params`` holds the values, ``SOURCES`` the published figure or
the stated assumption behind each, and docs/simulator.md lists them all (a test checks
that every parameter has a source and a line there). ``response.py`` re-exports these
names, so callers keep importing them from ``simulator.response``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Params:
    """Every number of the response model; ``PARAMS = Params()`` is the calibrated set."""

    # --- email -------------------------------------------------------------------
    email_reply_base: float = 0.038
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
    followup_yield: tuple[float, ...] = (1.0, 0.68, 0.28, 0.043, 0.03)
    late_reply_share: float = 0.6
    late_reply_min_days: float = 4.0
    late_reply_spread_days: float = 10.0
    late_reply_fatigue: float = 0.05
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
    call_meeting_given_conversation: float = 0.048
    call_quality_floor: float = 0.4
    call_quality_slope: float = 0.9
    call_personalization_weight: float = 0.5
    call_meeting_confirm: float = 0.9
    interested_meeting_accept: float = 0.8
    call_legal_start_hour: int = 8
    call_legal_end_hour: int = 21
    call_edge_hours_factor: float = 0.85
    call_out_of_hours_connect: float = 0.5
    call_out_of_hours_conversation: float = 0.2
    call_out_of_hours_dnc_request: float = 0.3
    # --- pipeline -------------------------------------------------------------------
    meeting_accept_base: float = 0.5
    speed_to_lead_late_factor: float = 0.32
    meeting_show_rate: float = 0.7
    meeting_reminder_no_show_factor: float = 0.6
    meeting_agenda_no_show_factor: float = 0.55
    proposal_base: float = 0.72
    deal_win_base: float = 0.3
    inbound_agree_search: float = 0.8
    inbound_agree_social: float = 0.55
    paid_noise: float = 0.3
    # --- consequences (issue 13): sender reputation and angry prospects ---------------
    reputation_smoothing: float = 20.0
    reputation_bounce_tolerance: float = 0.05
    reputation_bounce_slope: float = 4.0
    reputation_complaint_tolerance: float = 0.003
    reputation_complaint_slope: float = 50.0
    reputation_no_opt_out_slope: float = 0.5
    reputation_floor: float = 0.2
    anger_reply_factor: float = 0.6
    anger_complaint_factor: float = 2.5
    anger_meeting_factor: float = 0.3
    wrong_role_factor: float = 0.15


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
    "followup_yield": "Belkins 2023: 1st follow-up +49%, 2nd +9%, 3rd -20% (campaign totals,"
    " late replies included); Woodpecker ~40%: tuned with the late replies so calibrate's"
    " campaign ratios land in range",
    "late_reply_share": "assumption: someone who does not answer at once may answer the quiet"
    " thread days later (0.6 of the first email's odds); with it a 3-email campaign lands near"
    " Belkins' 9.2% and the first email keeps about half a 5-email campaign's replies"
    " (Instantly: 58%)",
    "late_reply_min_days": "assumption: a late answer comes 4-14 days after the last email",
    "late_reply_spread_days": "assumption: a late answer comes 4-14 days after the last email",
    "late_reply_fatigue": "Belkins 2023: the 3rd follow-up costs about 20% of replies and"
    " 3-email campaigns do best; a 4th or later email puts off 19 in 20 of those who meant"
    " to answer later (size tuned to the -20%)",
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
    " (Cognism 2024): tuned so the calibration's reference opener, with the prospects' fit,"
    " need and size, expects 4.7% (calibrate prints the measured rate)",
    "call_quality_floor": "assumption: a clumsy but honest opener still books some meetings;"
    " floor and slope put the calibration's reference opener (who is calling, a reason, an open"
    " question, no permission asked) at about 1.0",
    "call_quality_slope": "assumption: the grader's call rubric (channel fit: permission, a"
    " reason, an open question; relevance, value, one clear ask, 20-40 s) lifts meetings",
    "call_personalization_weight": "assumption: a researched fact helps on the phone, less than"
    " in email (the prospect hears it once and cannot reread it)",
    "call_meeting_confirm": "assumption: a prospect who agreed to a meeting on the call accepts"
    " the invite that follows (if it comes quickly) 9 times in 10",
    "interested_meeting_accept": "assumption: a prospect who asked for times (an 'interested'"
    " reply) takes a quick invite 4 times in 5; speed to lead still applies (prooflytics)",
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
    "meeting_show_rate": "no-shows of 20-35% for sales meetings (Chili Piper, quoted by Meera)"
    " and 25-35% for cold-booked outbound demos (Leadriver): 30% unprepared",
    "meeting_reminder_no_show_factor": "a reminder and confirmation routine took no-shows"
    " from 30% to under 10% (Pointer Strategy): reminder and agenda together x0.33",
    "meeting_agenda_no_show_factor": "as above: an agreed agenda gives the meeting a purpose"
    " (Prime Chase Data, Bilt AI); 0.6 x 0.55 = 0.33, 30% -> 9.9% no-shows",
    "proposal_base": "tuned so SQL->Opportunity lands in 30-80% (getfairview 30-50%, b2blead"
    " 40-80%, First Page Sage 50-75%)",
    "deal_win_base": "tuned so Opportunity->Close lands in 10-35% (b2blead 10-30%, getfairview"
    " 20-35%, First Page Sage 15-30%)",
    "inbound_agree_search": "assumption: search-ad leads asked to be contacted",
    "inbound_agree_social": "assumption: social-ad leads are colder (cheaper CPL, WordStream)",
    "reputation_smoothing": "assumption: a new sender counts as 20 clean emails, so one early"
    " bounce does not sink it",
    "reputation_bounce_tolerance": "mailbox providers start to distrust a sender above about"
    " 2-5% bounces (Google and Yahoo bulk-sender guidance); 5% is the course's generated floor",
    "reputation_bounce_slope": "assumption: 10% bounces cost a fifth of the inbox, 25% most of it",
    "reputation_complaint_tolerance": "Google's sender guidelines: keep spam reports under"
    " 0.1% and never reach 0.3%",
    "reputation_complaint_slope": "assumption: 1% complaints cost about a third of the inbox",
    "reputation_no_opt_out_slope": "assumption: mail without an unsubscribe is filtered"
    " (Gmail and Yahoo require one-click unsubscribe from bulk senders since 2024)",
    "reputation_floor": "assumption: even a burnt domain reaches some inboxes",
    "anger_reply_factor": "assumption: a prospect the learner broke a rule on (a call at night,"
    " a registered number, mail without consent) answers less",
    "anger_complaint_factor": "assumption: and reports the mail as spam more often",
    "anger_meeting_factor": "assumption: a call that broke the rules rarely books a meeting",
    "wrong_role_factor": "assumption: someone a bought list names in a role they left (or"
    " never held) rarely answers; at best they pass the message on",
    "paid_noise": "assumption: one spend's leads vary +-30% around amount / CPL (auctions,"
    " creative and season move a campaign's cost per lead)",
}


def parameter_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Params))
