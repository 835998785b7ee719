"""Outreach rubric 2: the grader judges what a message says.

One test per finding of issue 12, on messages written for these tests (the evaluation set
measures the same mechanisms on many more). Each edits the strong golden email so that
only the thing under test changes.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed, load_golden

from grader import grade
from grader.outreach import analyse

STRONG = load_golden("email-dental-strong")
CONTEXT: dict[str, Any] = STRONG["context"]
BODY: str = STRONG["submission"]["body"]
FACT = "Congrats on opening your second clinic in Leeds in March."
ASK = "Is cutting no-shows a priority for the new clinic this quarter?"


def graded(body: str, subject: str | None = "No-shows at the new clinic", **kw: Any):  # type: ignore[no-untyped-def]
    submission = {"channel": kw.pop("channel", "email"), "subject": subject, "body": body}
    g = grade("outreach", submission, kw.pop("context", CONTEXT))
    assert_well_formed(g)
    assert_spans_exact(g, submission)
    return g


def test_the_strong_email_earns_every_point() -> None:
    assert graded(BODY).percent == 100


# ----------------------------------------------------------------------------- meaning guards


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("I was sorry to learn about your second clinic opening in Leeds.", "inverted"),
        ("I hear you never opened the second clinic in Leeds.", "negated"),
        ("Congrats to Harbourline Dental on opening a second clinic in Leeds.", "wrong company"),
    ],
)
def test_a_fact_stated_wrongly_earns_nothing_and_misleads(sentence: str, why: str) -> None:
    g = graded(BODY.replace(FACT, sentence))
    assert g.check("personalization").points == 0
    honesty = g.check("honesty")
    assert honesty.points == 0 and why in honesty.verdict
    assert g.percent <= 55
    assert analyse({"channel": "email", "body": BODY.replace(FACT, sentence)}, CONTEXT).deceptive


def test_a_fact_inside_word_salad_is_not_credited() -> None:
    salad = "Leeds second the clinic March your opening of congrats in."
    g = graded(BODY.replace(FACT, salad))
    assert g.check("personalization").points == 0
    assert g.percent <= 55


def test_keyword_fragments_are_not_a_message() -> None:
    body = (
        "Hi Maria,\n\nSecond clinic Leeds March. Patient no-shows Mondays. Empty chair time "
        "costs. Text reminders one tap. Riverside Dental 31% fewer no-shows.\n\nInterested?"
    )
    g = graded(body)
    assert g.check("coherence").points == 0
    assert g.percent <= 55


def test_keyword_stuffing_is_not_writing() -> None:
    body = BODY.replace(
        FACT,
        "No-shows cost clinics, and no-shows at a new clinic mean more no-shows: "
        "no-shows, no-shows, no-shows.",
    )
    assert graded(body).check("coherence").points == 0


@pytest.mark.parametrize(
    "claim",
    [
        "We cut no-shows by 250% for every practice we work with.",
        "Our reminders guarantee a full diary from the first week.",
        "Practices see 20x more confirmed appointments in a month.",
    ],
)
def test_implausible_claims_cost_points(claim: str) -> None:
    body = BODY.replace("Riverside Dental cut no-shows by 31% in two months.", claim)
    g = graded(body)
    assert g.check("honesty").points == 0 and g.percent <= 55


def test_a_figure_about_their_business_they_never_gave_is_made_up() -> None:
    body = BODY.replace(FACT, "Your bookings fell 23% after the second clinic opened in Leeds.")
    assert graded(body).check("honesty").points == 0


@pytest.mark.parametrize(
    "sentence",
    [
        "With respect, your front desk team obviously cannot keep up with the phones.",
        "Frankly, your website is clearly outdated and a little embarrassing.",
    ],
)
def test_criticising_the_prospect_costs_the_tone_and_gates(sentence: str) -> None:
    g = graded(BODY.replace(FACT, FACT + " " + sentence))
    assert g.check("tone").points == 0
    assert "Not credited" in g.check("personalization").verdict
    assert g.percent <= 55


@pytest.mark.parametrize(
    "ask",
    [
        "Don't your patients deserve a practice that remembers them?",
        "Why do you keep letting Monday chairs sit empty?",
        "Do you really want another quarter of empty chairs?",
    ],
)
def test_a_guilt_or_loaded_question_is_not_an_ask(ask: str) -> None:
    g = graded(BODY.replace(ASK, ask))
    assert g.check("tone").points == 0
    assert g.check("call_to_action").points <= 2
    assert g.percent <= 55


def test_a_threat_of_loss_costs_the_tone() -> None:
    threat = "If you don't act now, you will lose your best patients before it's too late."
    assert graded(BODY.replace(ASK, threat + " " + ASK)).check("tone").points == 0


@pytest.mark.parametrize(
    "opening",
    [
        "Great to meet you at the dental show last week.",
        "As we discussed on the phone, here are the details.",
        "Just following up on our call about the new clinic.",
    ],
)
def test_invented_history_on_a_first_touch_is_deceptive(opening: str) -> None:
    g = graded(BODY.replace(FACT, opening + " " + FACT))
    assert g.check("honesty").points == 0 and "earlier conversation" in g.check("honesty").verdict
    signals = analyse({"channel": "email", "body": BODY.replace(FACT, opening)}, CONTEXT)
    assert signals.claims_history


# ----------------------------------------------------------------------------- precise gates


@pytest.mark.parametrize(
    "text",
    ["the attached case study [PDF]", "a patient's note (“recieve” [sic])", "our 2-page guide [1]"],
)
def test_ordinary_brackets_are_not_merge_fields(text: str) -> None:
    body = BODY.replace("Riverside Dental cut", f"Riverside Dental ({text}) cut")
    assert graded(body).check("greeting").points == 5


@pytest.mark.parametrize("token", ["first_name", "$name", "${first_name}", "[First Name]"])
def test_real_broken_merges_trigger_the_gate(token: str) -> None:
    g = graded(BODY.replace("Hi Maria,", f"Hi {token},"))
    assert g.check("greeting").points == 0 and g.percent <= 40


def test_a_record_id_where_the_company_belongs_is_a_broken_merge() -> None:
    g = graded(BODY.replace("your second clinic", "the second CMP-0048213 clinic"))
    assert g.check("greeting").points == 0


@pytest.mark.parametrize(
    ("first", "greeting"),
    [
        ("David", "Hi Dave,"),
        ("Elizabeth", "Hi Liz,"),
        ("Robert", "Hello Bob,"),
        ("Maria", "Dear Ms Lopez,"),
    ],
)
def test_nicknames_and_formal_address_greet_the_right_person(first: str, greeting: str) -> None:
    context = copy.deepcopy(CONTEXT)
    context["prospect"]["first_name"] = first
    body = BODY.replace("Hi Maria,", greeting).replace("Maria", first)
    g = graded(body, context=context)
    assert g.check("greeting").points == 5 and g.percent >= 90


# ----------------------------------------------------------------------------- the ask


@pytest.mark.parametrize(
    "ask",
    [
        "Who at BrightSmile looks after appointment reminders?",
        "Mind if I send over the one-page case study?",
        "How are you handling reminders across both clinics today?",
        "Happy to send the reminder templates if they would help.",
    ],
)
def test_the_real_range_of_asks_is_recognised(ask: str) -> None:
    assert graded(BODY.replace(ASK, ask)).check("call_to_action").points == 10


def test_the_opt_out_lead_in_is_not_a_second_ask() -> None:
    body = BODY.replace('Not the right time? Reply "no"', 'Not interested?\nReply "no"')
    assert graded(body).check("call_to_action").points == 10


# ----------------------------------------------------------------------------- no points for absence


def test_checks_with_nothing_to_judge_are_left_out_not_paid() -> None:
    tiny = graded("Hi Maria, worth a look?")
    skipped = dict(tiny.skipped)
    assert {"readability", "spam", "tone"} <= skipped.keys()
    no_pronouns = graded(
        "Hi Maria,\n\nThe second clinic in Leeds looks great. Monday no-shows are common. "
        "Riverside Dental cut them by 31% in two months. Worth a look?"
    )
    assert "prospect_focus" in dict(no_pronouns.skipped)
    note = graded("Hi Maria, congrats on the second clinic in Leeds.", channel="linkedin")
    assert "compliance" in dict(note.skipped)


def test_an_unsubscribe_line_alone_scores_almost_nothing() -> None:
    assert graded("Unsubscribe").percent <= 20


# ----------------------------------------------------------------------------- channels


def test_a_linkedin_pitch_with_statistics_is_declined() -> None:
    pitch = (
        "Hi Maria, practices on Recallly cut no-shows by 31% and save 9 hours a week. "
        "Can we book a 15-minute demo on Thursday?"
    )
    g = graded(pitch, subject=None, channel="linkedin")
    assert g.check("channel_fit").points == 0 and g.percent <= 55


def test_a_linkedin_note_that_only_asks_to_connect_is_strong() -> None:
    note = (
        "Hi Maria, your post about Monday no-shows was the most honest take on dental admin "
        "I have read this year. I would be glad to connect."
    )
    g = graded(note, subject=None, channel="linkedin")
    assert g.check("channel_fit").points == 10 and g.percent >= 85


@pytest.mark.parametrize(
    ("opener", "low", "high"),
    [
        (
            "Hi Maria, it's Sam from Recallly. Have I caught you at a bad time? I'm calling "
            "because you opened a second clinic in Leeds, and two sites often double Monday "
            "no-shows. How are you handling reminders today?",
            10,
            10,
        ),
        (
            "Hi Maria, Sam from Recallly. I'll take twenty seconds, then you tell me if it's "
            "worth a chat. The reason for my call is Monday no-shows at the new clinic. "
            "What do you do about them now?",
            10,
            10,
        ),
        (
            "Hi Maria, how are you today? Great. I'm Sam from Recallly and we do reminders, "
            "recalls, reviews and payments for dental practices, so can we book a demo?",
            0,
            3,
        ),
    ],
)
def test_a_call_opener_is_judged_as_a_call(opener: str, low: float, high: float) -> None:
    g = graded(opener, subject=None, channel="call")
    assert low <= g.check("channel_fit").points <= high
