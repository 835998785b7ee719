"""Outreach rubric: each check's behaviour on small, targeted messages."""

from __future__ import annotations

from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed, load_golden

import grader.outreach
from grader import SubmissionError, grade
from grader.outreach import MessageSignals, analyse

STRONG = load_golden("email-dental-strong")
CONTEXT: dict[str, Any] = STRONG["context"]
BODY: str = STRONG["submission"]["body"]


def email(body: str = BODY, subject: str | None = "No-shows at the new clinic") -> dict[str, Any]:
    return {"channel": "email", "subject": subject, "body": body}


def points(submission: dict[str, Any], check: str, context: dict[str, Any] = CONTEXT) -> float:
    g = grade("outreach", submission, context)
    assert_spans_exact(g, submission)
    assert_well_formed(g)
    return g.check(check).points


# ----------------------------------------------------------------------------- greeting


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("Hi Maria,", 5),
        ("Dear Ms Lopez,", 5),
        ("Dear Dr. Lopez,", 5),
        ("Hello María,", 5),  # accents do not matter
        ("Hi Mar,", 5),  # a shortened name is still her name
        ("Maria, quick one.", 5),
        ("Hi there,", 2),
        ("Hello,", 2),
        ("Hi BrightSmile team,", 2),
        ("Congrats on the new clinic.", 1),
        ("Hi Sarah,", 0),
        ("Dear Ms Whitfield,", 0),
    ],
)
def test_greeting(opening: str, expected: float) -> None:
    body = BODY.replace("Hi Maria,", opening, 1)
    assert points(email(body), "greeting") == expected


def test_wrong_name_gates_the_reader_checks_but_keeps_form_checks() -> None:
    body = BODY.replace("Hi Maria,", "Hi Sarah,", 1)
    g = grade("outreach", email(body), CONTEXT)
    for check_id in ("personalization", "relevance", "value", "call_to_action", "prospect_focus"):
        c = g.check(check_id)
        assert c.points == 0 and c.verdict.startswith(
            "Not credited: the message greets someone else"
        )
        assert "would earn" in c.verdict
    assert g.check("length").points == 5 and g.check("compliance").points == 10
    assert g.percent <= 50


@pytest.mark.parametrize("placeholder", ["{{first_name}}", "[Name]", "{FirstName}", "<NAME>"])
def test_unfilled_merge_field_is_a_hard_fail(placeholder: str) -> None:
    body = BODY.replace("Maria", placeholder, 1)
    g = grade("outreach", email(body), CONTEXT)
    assert g.check("greeting").points == 0
    assert g.check("greeting").evidence[0].quote == placeholder
    assert g.check("personalization").points == 0
    assert g.percent <= 50
    assert analyse(email(body), CONTEXT).unfilled_merge_field


def test_merge_field_in_the_subject_is_caught_too() -> None:
    g = grade("outreach", email(subject="Idea for [Company]"), CONTEXT)
    (e,) = g.check("greeting").evidence
    assert (e.field, e.quote) == ("subject", "[Company]")


def test_empty_merge_field_after_the_greeting_word() -> None:
    body = BODY.replace("Hi Maria,", "Hi ,", 1)
    assert grade("outreach", email(body), CONTEXT).check("greeting").evidence[0].quote == "Hi ,"


# ----------------------------------------------------------------------------- content


def test_a_fact_scores_personalization_and_a_name_alone_does_not() -> None:
    assert points(email(), "personalization") == 15
    generic = "Hi Maria,\n\nWe help BrightSmile Dental and practices like it. Worth a look?"
    assert points(email(generic), "personalization") == 3.75  # names the company only
    bare = "Hi Maria,\n\nWe help practices. Worth a look?"
    assert points(email(bare), "personalization") == 0


def test_personalization_is_skipped_without_facts() -> None:
    context = {**CONTEXT, "prospect": {**CONTEXT["prospect"], "facts": []}}
    g = grade("outreach", email(), context)
    assert "personalization" in dict(g.skipped)
    assert g.possible == 85


def test_relevance_needs_the_pain_and_the_role_or_industry() -> None:
    assert points(email(), "relevance") == 10
    no_pain = "Hi Maria,\n\nMost dental practices we meet want a calmer front desk. Worth a look?"
    assert points(email(no_pain), "relevance") == 3


def test_value_needs_a_benefit_and_proof() -> None:
    assert points(email(), "value") == 10
    unproven = BODY.replace(" Riverside Dental cut no-shows by 31% in two months.", "")
    assert points(email(unproven), "value") == 6


def test_one_interest_ask_beats_a_meeting_ask_beats_two_asks() -> None:
    ask = "Is cutting no-shows a priority for the new clinic this quarter?"
    assert points(email(), "call_to_action") == 10
    meeting = BODY.replace(ask, "Could we book a 15-minute call on Tuesday?")
    assert points(email(meeting), "call_to_action") == 8  # a meeting with a day: 8
    vague = BODY.replace(ask, "Could we book a short call?")
    assert points(email(vague), "call_to_action") == 7
    two = BODY.replace(ask, "Worth a look? Or would you like me to send a case study?")
    assert points(email(two), "call_to_action") == 5
    none = BODY.replace(ask, "Thanks for reading.")
    assert points(email(none), "call_to_action") == 0
    pushy = BODY.replace(ask, "Reply today, this is your last chance!")
    assert points(email(pushy), "call_to_action") == 0


# ----------------------------------------------------------------------------- form


@pytest.mark.parametrize(
    ("words", "expected"),
    [(10, 1.5), (30, 4.0), (80, 5.0), (140, 3.0), (180, 1.5), (260, 0.0)],
)
def test_email_length_bands(words: int, expected: float) -> None:
    body = "Hi Maria, " + " ".join(["we"] + ["fix"] * (words - 3)) + " now."
    assert points(email(body), "length") == expected


@pytest.mark.parametrize(("chars", "expected"), [(40, 2.5), (200, 5.0), (300, 5.0), (301, 0.0)])
def test_linkedin_note_length(chars: int, expected: float) -> None:
    body = ("Hi Maria, " + "x" * 400)[:chars]
    assert points({"channel": "linkedin", "subject": None, "body": body}, "length") == expected


@pytest.mark.parametrize(("words", "expected"), [(30, 1.5), (45, 3.0), (75, 5.0), (110, 3.0)])
def test_call_opener_length_is_measured_in_seconds_at_150_wpm(words: int, expected: float) -> None:
    body = "Hi Maria, " + " ".join(["fine"] * (words - 2))
    assert points({"channel": "call", "subject": None, "body": body}, "length") == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("No-shows at the new clinic", 5),
        ("NO-SHOWS AT THE NEW CLINIC", 2),
        ("Re: no-shows", 5),  # judged on its words; the fake thread is an honesty failure
        ("Fwd: idea for the clinic", 5),
        ("A very long subject line that goes on and on about no-shows", 3),
        ("Hi", 4),
        ("Free trial for your clinic!", 2),
        (None, 0),
        ("   ", 0),
    ],
)
def test_subject(subject: str | None, expected: float) -> None:
    assert points(email(subject=subject), "subject") == expected


@pytest.mark.parametrize("subject", ["Re: no-shows", "Fwd: idea for the clinic", "RE:clinic"])
def test_a_fake_thread_on_a_first_email_is_dishonest(subject: str) -> None:
    g = grade("outreach", email(subject=subject), CONTEXT)
    assert g.check("honesty").points == 0
    assert g.check("honesty").evidence[0].field == "subject"
    assert "Not credited: the message misleads" in g.check("value").verdict


def test_subject_is_skipped_for_linkedin_and_calls() -> None:
    for channel in ("linkedin", "call"):
        g = grade(
            "outreach", {"channel": channel, "subject": None, "body": "Hi Maria, hello."}, CONTEXT
        )
        assert dict(g.skipped)["subject"] == f"a {channel} message has no subject line"


def test_long_sentences_cost_readability() -> None:
    rambling = "Hi Maria,\n\n" + " ".join(["we help the clinic"] * 10) + ". Worth a look?"
    g = grade("outreach", email(rambling), CONTEXT)
    c = g.check("readability")
    assert c.points == 2.5 and "one sentence runs 40 words" in c.verdict


def test_spam_signals_and_the_spam_gate() -> None:
    assert points(email(), "spam") == 5
    one = BODY.replace("Riverside Dental", "Guaranteed: Riverside Dental")
    assert points(email(one), "spam") == 3
    three = BODY.replace("Riverside Dental", "GUARANTEED results, act now!! Riverside Dental")
    g = grade("outreach", email(three), CONTEXT)
    assert g.check("spam").points == 0
    assert "spam signals make it read as spam" in g.check("personalization").verdict


def test_prospect_focus() -> None:
    assert points(email(), "prospect_focus") == 5
    selfish = (
        "Hi Maria,\n\nWe are great. We build tools. Our team and I love our work. Worth it for you?"
    )
    assert points(email(selfish), "prospect_focus") == 0  # 1 you against 5 we/our/I
    cases = [
        ("We help clinics. Your patients and your team matter. Worth a look?", 5),  # 2:1
        ("We help clinics and we care. Your patients and your team matter to us.", 3),  # 2:3
        ("We help clinics. Your patients matter to us. Worth a look?", 1.5),  # 1:2
    ]
    for text, expected in cases:
        assert points(email("Hi Maria,\n\n" + text), "prospect_focus") == expected, text


# ----------------------------------------------------------------------------- compliance


def test_email_compliance_needs_opt_out_and_address() -> None:
    assert points(email(), "compliance") == 10
    no_opt_out = BODY.replace('\nNot the right time? Reply "no" and I won\'t write again.', "")
    assert points(email(no_opt_out), "compliance") == 5
    no_address = BODY.replace("\n12 Harbour Street, Leeds LS1 4AB", "")
    assert points(email(no_address), "compliance") == 5


def test_footer_lines_are_not_counted_as_length() -> None:
    g = grade("outreach", email(), CONTEXT)
    assert "73 words" in g.check("length").verdict


def test_call_opener_must_say_who_is_calling() -> None:
    intro = "Hi Maria, this is Sam from Recallly. Worth a quick look at no-shows?"
    assert points({"channel": "call", "subject": None, "body": intro}, "compliance") == 10
    anonymous = "Hi Maria, worth a quick look at no-shows?"
    assert points({"channel": "call", "subject": None, "body": anonymous}, "compliance") == 0


def test_do_not_contact_gates_everything() -> None:
    context = {**CONTEXT, "prospect": {**CONTEXT["prospect"], "do_not_contact": True}}
    g = grade("outreach", email(), context)
    assert g.score == 0
    assert g.check("compliance").verdict.startswith("This prospect is on the do-not-contact list")
    assert "would earn 5/5" in g.check("greeting").verdict


# ----------------------------------------------------------------------------- context and input


def test_empty_context_skips_what_it_cannot_judge() -> None:
    g = grade("outreach", email(), {})
    assert dict(g.skipped).keys() == {
        "greeting",
        "personalization",
        "relevance",
        "channel_fit",
        "language",
    }
    assert_well_formed(g)


def test_blank_context_fields_count_as_missing() -> None:
    context = {"prospect": {"first_name": "  ", "facts": [" "]}, "sender": None, "offer": ""}
    g = grade("outreach", email(), context)
    assert "greeting" in dict(g.skipped) and "personalization" in dict(g.skipped)


@pytest.mark.parametrize(
    ("submission", "location"),
    [
        ({"channel": "fax", "body": "Hi"}, "submission.channel"),
        ({"channel": "email", "body": 5}, "submission.body"),
        ({"channel": "email", "body": "   "}, "submission.body"),
        ({"channel": "email", "body": "x" * 20_001}, "submission.body"),
        ({"channel": "email", "subject": ["x"], "body": "Hi"}, "submission.subject"),
    ],
)
def test_malformed_submissions_name_the_field(submission: dict[str, Any], location: str) -> None:
    with pytest.raises(SubmissionError) as info:
        grade("outreach", submission, CONTEXT)
    assert info.value.location == location


@pytest.mark.parametrize(
    ("context", "location"),
    [
        ({"prospect": "Maria"}, "context.prospect"),
        ({"prospect": {"facts": "one fact"}}, "context.prospect.facts"),
        ({"prospect": {"facts": ["ok", 3]}}, "context.prospect.facts[1]"),
        ({"prospect": {"do_not_contact": "no"}}, "context.prospect.do_not_contact"),
    ],
)
def test_malformed_context_names_the_field(context: dict[str, Any], location: str) -> None:
    with pytest.raises(SubmissionError) as info:
        grade("outreach", email(), context)
    assert info.value.location == location


# ----------------------------------------------------------------------------- analyse


def test_analyse_returns_shares_of_each_check() -> None:
    signals = analyse(email(), CONTEXT)
    assert signals == MessageSignals(
        personalization=1.0,
        relevance=1.0,
        value=1.0,
        cta=1.0,
        length_fit=1.0,
        readability=1.0,
        spamminess=0.0,
        prospect_focus=1.0,
        has_opt_out=True,
        has_postal_address=True,
        unfilled_merge_field=False,
        wrong_name=False,
    )


def test_analyse_does_not_apply_gates_but_reports_the_flags() -> None:
    body = BODY.replace("Hi Maria,", "Hi Sarah,", 1)
    signals = analyse(email(body), CONTEXT)
    assert signals.wrong_name and signals.personalization == 1.0


def test_analyse_is_exposed_on_the_module() -> None:
    assert grader.outreach.analyse is analyse
    assert isinstance(analyse(email(), {}), MessageSignals)


def test_analyse_refuses_malformed_input_like_grade() -> None:
    with pytest.raises(SubmissionError):
        analyse({"channel": "email", "body": None}, CONTEXT)
