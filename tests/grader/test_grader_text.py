"""Text analysis: offsets are exact, and each detector finds what it should and no more."""

from __future__ import annotations

import pytest

from grader import text
from grader.language import language
from grader.outreach.asks import ask_kind
from grader.outreach.footer import opt_out, postal_address
from grader.outreach.merge import merge_fields


def test_words_keep_offsets_and_inner_apostrophes() -> None:
    body = "Hi José, you’re 2x faster—aren't you?"
    ws = text.words(body)
    assert [w.text for w in ws] == ["Hi", "José", "you’re", "2x", "faster", "aren't", "you"]
    assert all(body[w.start : w.end] == w.text for w in ws)


def test_sentences_split_on_punctuation_and_lines_but_not_abbreviations() -> None:
    body = "Hi Dr. Patel,\nWe met e.g. at the expo. Worth a look?  Thanks!\n\nSam"
    spans = text.sentences(body)
    assert [s.of(body) for s in spans] == [
        "Hi Dr. Patel,",
        "We met e.g. at the expo.",
        "Worth a look?",
        "Thanks!",
        "Sam",
    ]


def test_sentence_at_finds_the_containing_sentence() -> None:
    body = "One. Two three. Four?"
    spans = text.sentences(body)
    assert text.sentence_at(spans, body.index("three")) == spans[1]
    assert text.sentence_at(spans, body.index(" Two")) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [("cat", 1), ("simple", 2), ("wanted", 2), ("helped", 1), ("beautiful", 3), ("appointment", 3)],
)
def test_syllable_heuristic(word: str, expected: int) -> None:
    assert text.syllables(word) == expected


def test_flesch_scores_follow_the_published_formulas() -> None:
    r = text.Readability(words=100, sentences=5, syllables=150)
    assert r.reading_ease == pytest.approx(206.835 - 1.015 * 20 - 84.6 * 1.5)
    assert r.grade_level == pytest.approx(0.39 * 20 + 11.8 * 1.5 - 15.59)


def test_plain_text_reads_easier_than_jargon() -> None:
    def grade_of(body: str) -> float:
        spans = text.sentences(body)
        return text.readability(text.word_strings(body, s.start, s.end) for s in spans).grade_level

    plain = "We help you fill empty chairs. It takes a day to set up. Want to see how?"
    jargon = (
        "Our comprehensive omnichannel engagement infrastructure systematically "
        "operationalises patient communication optimisation across organisational verticals."
    )
    assert grade_of(plain) < 5 < 12 < grade_of(jargon)


@pytest.mark.parametrize(
    "placeholder",
    [
        "{{first_name}}",
        "{{ FirstName }}",
        "[Name]",
        "[First Name]",
        "{FirstName}",
        "<NAME>",
        "%FIRSTNAME%",
        "*|FNAME|*",
        "{!Contact.FirstName}",
        "[Company]",
        "first_name",
        "$name",
        "${company}",
        "FirstName",
        "[insert pain point]",
        "ACC-004213",
        "cmp_48213",
    ],
)
def test_merge_fields_are_found_with_exact_offsets(placeholder: str) -> None:
    body = f"Hi {placeholder}, quick one."
    (span,) = merge_fields(body)
    assert span.of(body) == placeholder


@pytest.mark.parametrize(
    "body",
    [
        "See [our case study](https://example.com).",
        "Call me <br> later",
        "20% of 30% of them",
        "Ref [1] and {2}",
        "Email <sam@example.com>",
        "The report [PDF] is attached.",
        "They wrote “recieve” [sic] on the form.",
        "It costs $25 a month, ISO-9001 certified, Leeds LS1 4AB, Q3 2024.",
        "Visit example.com/first_name_guide for details.",
    ],
)
def test_text_that_is_not_a_merge_field(body: str) -> None:
    assert merge_fields(body) == []


def test_spam_phrases_come_from_the_domain_list_and_free_is_narrowed() -> None:
    body = (
        "Feel free to ask. Are you free Tuesday? Act now for a FREE trial, risk-free, guaranteed."
    )
    found = [s.of(body) for s in text.spam_phrases(body)]
    assert found == ["Act now", "FREE trial", "risk-free", "guaranteed"]


def test_shouted_words_skip_acronyms_and_short_words() -> None:
    body = "Our CRM and SEO team is AMAZING, HIPAA ready, OK?"
    assert [s.of(body) for s in text.shouted_words(body)] == ["AMAZING"]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Worth a look?", "interest"),
        ("Is cutting no-shows a priority this quarter?", "interest"),
        ("Would it help if I sent the two-page summary?", "resource"),
        ("Mind if I send over the checklist?", "resource"),
        ("Happy to send the template if it would help.", "resource"),
        ("Open to a 15-minute call on Tuesday?", "meeting"),
        ("Can we book a quick demo next week?", "meeting"),
        ("Let me know if a short call makes sense.", "meeting"),
        ("Who looks after patient reminders at your practice?", "referral"),
        ("Could you point me to the right person for this?", "referral"),
        ("Do you have thirty seconds?", "permission"),
        ("Is now a bad time?", "permission"),
        ("How are you handling reminders at the new clinic?", "opinion"),
        ("Curious what you think about deposits for new patients.", "opinion"),
        ("How are you today?", "small_talk"),
        ("Don't you care about your patients?", "loaded"),
        ("Why are you still losing patients to no-shows?", "loaded"),
        ("Who doesn't want more patients?", "loaded"),
        ("Do you really want another empty Monday?", "loaded"),
    ],
)
def test_asks_are_recognised_by_kind(sentence: str, kind: str) -> None:
    lang = language()
    assert ask_kind(lang.parse(sentence), lang.polarity) == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "If so, reply and I'll send it.",
        "We help clinics fill their chairs.",
        "Riverside Dental cut no-shows by 31% in two months.",
        "Thanks for reading.",
    ],
)
def test_sentences_that_are_not_asks(sentence: str) -> None:
    lang = language()
    assert ask_kind(lang.parse(sentence), lang.polarity) is None


@pytest.mark.parametrize(
    "line",
    [
        "Reply 'no' and I won't write again.",
        "Not interested? Reply STOP.",
        "Unsubscribe here.",
        "If you'd rather not hear from me again, just say so.",
        "I won't email you again.",
    ],
)
def test_opt_out_lines_are_found(line: str) -> None:
    body = f"Hi Maria, worth a look?\n{line}"
    span = opt_out(body, text.sentences(body))
    assert span is not None and span.of(body) == line


def test_an_opt_out_inside_a_long_paragraph_takes_only_its_sentence() -> None:
    body = (
        "Hi Maria. " + "We help clinics fill their chairs every week. " * 4 + "Reply no to opt out."
    )
    span = opt_out(body, text.sentences(body))
    assert span is not None and span.of(body) == "Reply no to opt out."


def test_no_opt_out_in_an_ordinary_email() -> None:
    body = "Hi Maria, we help clinics. Worth a look? Best, Sam"
    assert opt_out(body, text.sentences(body)) is None


@pytest.mark.parametrize(
    ("body", "known"),
    [
        ("Sam\n12 Harbour Street, Leeds LS1 4AB", None),
        ("Sam\n880 Market St, Suite 400, San Francisco, CA 94102", None),
        ("Sam\nPO Box 42, Austin", None),
        ("Sam\n12 harbour st., Leeds", "12 Harbour St, Leeds LS1 4AB"),
    ],
)
def test_postal_address_lines_are_found(body: str, known: str | None) -> None:
    span = postal_address(body, known)
    assert span is not None and span.of(body) == body.split("\n")[1]


def test_no_address_in_plain_text() -> None:
    assert postal_address("Hi Maria, we met at 3 pm on Friday.", None) is None


def test_focus_counts_you_against_i_and_we() -> None:
    ws = text.word_strings("You and your team; I think we, our US office and me.")
    assert text.focus_counts(ws) == (2, 4)


def test_caseless_pattern_handles_text_whose_lowercase_changes_length() -> None:
    pattern = text.Caseless(r"\bact now\b")
    body = "İstanbul offer: ACT NOW"
    m = pattern.search(body)
    assert m is not None and body[m.start() : m.end()] == "ACT NOW"
