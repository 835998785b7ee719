"""Dialogue acts and targeted facts of a spoken turn, read from the parse."""

from __future__ import annotations

import pytest

from grader.conversation import read_turn
from grader.language import language

CALLER = ("Priya Natarajan", "ChairFill")

ACTS = [
    ("Tell me about how you handle recalls today.", {"open_question"}),
    ("Walk me through your recall process.", {"open_question"}),
    ("I'm curious how you fill cancellations right now.", {"open_question"}),
    ("Before I go, how are you handling no-shows?", {"open_question"}),
    ("Do you have a budget for this?", {"closed_question"}),
    ("Don't you think that is a waste of money?", {"closed_question", "leading_question"}),
    ("Wouldn't it be great to fill every chair?", {"closed_question", "leading_question"}),
    ("Is now a bad time?", {"closed_question", "permission"}),
    ("Can I take 30 seconds to tell you why I called?", {"closed_question", "permission"}),
    ("Hi, this is Priya from ChairFill.", {"identify"}),
    ("I'm calling because practices like yours lose hygiene appointments.", {"reason"}),
    ("We help practices like yours fill empty hygiene slots.", {"pitch"}),
    ("Our service cuts no-shows by a third.", {"pitch"}),
    ("I hear you.", {"acknowledgement"}),
    ("That makes sense.", {"acknowledgement"}),
    ("It sounds like the front desk is stretched.", {"label"}),
    ("What if I sent you a one-page summary first?", {"closed_question", "reframe"}),
    ("Would Tuesday at 10am work for a 20-minute call?", {"closed_question", "next_step"}),
    ("How about Wednesday at 2pm?", {"closed_question", "next_step", "time_proposal"}),
    ("How are you doing today?", {"open_question", "small_talk"}),
    ("Are you stupid?", {"closed_question", "rude"}),
    # a harsh word about the hour is not an insult; a feeling named back is a label
    ("It's on your website; is this a bad time?", {"closed_question", "permission"}),
    ("Did I catch you at a bad moment?", {"closed_question", "permission"}),
    ("Your product is terrible and you are stupid.", {"rude"}),
    ("That sounds frustrating.", {"label"}),
    ("Listen, you need to buy this now.", {"pushy"}),
    ("No, that is not true.", {"argue"}),
    ("Good morning, could I speak to the practice manager please?", {"transfer"}),
    # phrasings none of the rules were written from
    ("How do you currently fill last-minute cancellations?", {"open_question"}),
    ("Help me understand how bookings work at your practice.", {"open_question"}),
    ("I get it, you're busy. When would be a better time to call?", {"acknowledgement"}),
    ("Seems like timing is the issue.", {"label"}),
    ("Could we grab 15 minutes next Wednesday at 11?", {"next_step", "time_proposal"}),
    ("We've helped 40 practices cut no-shows by 30 percent.", {"pitch"}),
    ("Honestly, that's a silly question.", {"rude"}),
    ("I don't have time for this, just take the offer.", {"pushy"}),
    ("Hey Kate, it's Priya with ChairFill, I'll be brief.", {"identify"}),
]


@pytest.fixture(scope="module")
def lang():
    return language()


@pytest.mark.parametrize(("text", "expected"), ACTS)
def test_each_turn_shape_gives_its_acts(lang, text: str, expected: set[str]) -> None:
    acts = read_turn(text, lang, caller_names=CALLER).acts
    assert expected <= acts, f"{text!r}: {sorted(acts)}"
    assert "rude" not in acts or "rude" in expected
    assert "pitch" not in acts or "pitch" in expected


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Who else would be involved in a decision like this?", {"authority"}),
        ("What budget have you set aside for this?", {"budget"}),
        ("How much are you spending on recalls?", {"budget"}),
        ("When are you hoping to have this in place?", {"timeline"}),
        ("Which tool are you using for reminders now?", {"vendor"}),
        ("What is the biggest challenge with your recall process?", {"need"}),
        ("Is now a bad time?", set()),
        ("Who signs off on purchases like this?", {"authority"}),
        ("Totally understand. What are you using right now?", {"vendor"}),
    ],
)
def test_a_question_targets_the_fact_it_is_after(lang, text: str, facts: set[str]) -> None:
    assert read_turn(text, lang).targets == facts


def test_a_mirror_hands_the_buyers_words_back(lang) -> None:
    turn = read_turn("Not interested?", lang, previous="Honestly, we're not interested.")
    assert "mirror" in turn.acts
    assert "mirror" not in read_turn("Not interested?", lang, previous="Send me an email.").acts


def test_the_first_sentence_decides_whether_an_objection_was_heard(lang) -> None:
    heard = read_turn("Fair enough. What would need to be true to look again?", lang)
    ignored = read_turn("We help practices fill their diaries. Fair enough?", lang)
    assert "acknowledgement" in heard.first_acts and heard.open_questions == 1
    assert "acknowledgement" not in ignored.first_acts


def test_the_record_is_plain_sorted_json(lang) -> None:
    record = read_turn("I hear you. Who decides on this?", lang).record()
    assert record == {
        "acts": ["acknowledgement", "open_question"],
        "first_acts": ["acknowledgement"],
        "targets": ["authority"],
        "words": 7,
        "questions": 1,
        "open_questions": 1,
    }
