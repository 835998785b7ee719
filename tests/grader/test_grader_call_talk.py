"""The call rubric's talk ratio and what a monologue costs (grader/call.py), tested
directly: the same questions score 4, 2 or 0 of question quality's 15 points as the
caller's share of the words crosses 65% and 80%, and a monologue in place of a short
turn costs exactly the talk-ratio points it pushes the caller past."""

from __future__ import annotations

import re

import pytest

from grader import grade
from grader.call import TALK_BANDS

CONTEXT = {"sender": {"name": "Priya Natarajan", "company": "ChairFill"}}
OPENER = "Hi Alejandro, this is Priya from ChairFill. Is now a bad time?"
QUESTIONS = [
    "How are you handling cancellations today?",
    "What happens when a patient cancels?",
    "Who else would be involved in a decision like this?",
]
MONOLOGUE = (
    "Let me tell you a little about us first, because I think it matters here. We started"
    " ChairFill five years ago with two dentists who were tired of empty chairs, and since"
    " then we have grown to work with practices of every size across the region, from"
    " single-chair surgeries to groups with a dozen sites, and every one of them told us"
    " the same story about cancellations and recalls and the front desk being stretched."
    " How are you handling cancellations today?"
)


def _words(n: int) -> str:
    """A buyer's answer of exactly ``n`` words."""
    return " ".join(["well"] * n)


def _call(learner: list[str], buyer_words: int) -> dict:
    turns = [{"speaker": "buyer", "text": "Alejandro speaking."}]
    for text in learner:
        turns.append({"speaker": "learner", "text": text})
        turns.append({"speaker": "buyer", "text": _words(buyer_words)})
    return {"turns": turns}


def _quality(learner: list[str], buyer_words: int) -> tuple[float, str]:
    check = grade("call", _call(learner, buyer_words), CONTEXT).check("question_quality")
    return check.points, check.verdict


def _mine(learner: list[str]) -> int:
    return sum(len(t.split()) for t in learner)


def test_the_bands_are_the_documented_ones() -> None:
    assert TALK_BANDS == ((0.65, 1.0), (0.8, 0.5))


@pytest.mark.parametrize(("share", "points"), [(0.5, 15.0), (0.72, 13.0), (0.9, 11.0)])
def test_talk_ratio_costs_points_as_the_caller_talks_more(share: float, points: float) -> None:
    """All open questions, none leading (11 points), plus 4, 2 or 0 for the talk ratio."""
    learner = [OPENER, *QUESTIONS]
    mine = _mine(learner) + 1  # the buyer's greeting is two words; near enough for the bands
    per_answer = round(mine * (1 - share) / share / len(learner))
    got, verdict = _quality(learner, per_answer)
    assert got == points, verdict
    assert "you spoke" in verdict


def test_a_monologue_costs_the_talk_ratio_points_it_pushes_past() -> None:
    short = [OPENER, *QUESTIONS]
    long = [OPENER, MONOLOGUE, *QUESTIONS[1:]]
    answer = 12  # the same buyer answers to both calls
    brief, brief_verdict = _quality(short, answer)
    rambling, verdict = _quality(long, answer)
    assert brief == 15.0, brief_verdict
    # the same questions, all open: only the talk ratio moved, past 65% of the words
    assert rambling == 13.0, verdict
    spoke = int(re.search(r"you spoke (\d+)%", verdict).group(1))  # type: ignore[union-attr]
    assert 65 < spoke <= 80
    worse, _ = _quality([OPENER, *[MONOLOGUE] * 3, QUESTIONS[2]], answer)
    assert worse == 11.0  # three monologues: past 80%, no talk-ratio points


def test_no_questions_earns_no_talk_ratio_credit() -> None:
    """A caller who asks nothing is not rewarded for a low talk ratio."""
    got, _ = _quality([OPENER.replace(" Is now a bad time?", "")], 200)
    assert got == 0.0
