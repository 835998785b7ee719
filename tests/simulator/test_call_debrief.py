"""The debrief says what each question of a live call earned, and why."""

from __future__ import annotations

from simulator.debrief import debrief
from simulator.debrief_calls import why
from simulator.exercises import exercise_spec

from .test_live_calls import GATED, STRONG, _play, _sandbox

LEADING = "Wouldn't it be great to never have an empty chair again?"
CLOSED = "Do you have a budget for this?"


def test_open_closed_and_leading_questions_are_explained_differently() -> None:
    opened = why(["open_question"], ["budget"], {"revealed": ["budget"]})
    assert "open question" in opened and "earned the budget in full" in opened
    closed = why(["closed_question"], ["budget"], {"revealed": ["budget"]})
    assert "only a yes or no about the budget" in closed and "open one" in closed
    leading = why(["closed_question", "leading_question"], ["need"], {"goodwill": -1})
    assert "leading question" in leading and "earned the need in their own words" in leading
    shrug = why(["closed_question"], ["authority"], {})
    assert "not yet warm" in shrug
    heard = why(["acknowledgement", "open_question"], [], {"objection": {"handled": "well"}})
    assert heard.startswith("You acknowledged the objection before answering it")
    assert why(["small_talk"], [], {}) == ""


def test_the_run_debrief_explains_each_question_of_a_scripted_call() -> None:
    spec = exercise_spec("cold-email-dental")
    turns = [*STRONG[:4], LEADING, CLOSED, *STRONG[4:]]
    sandbox = _sandbox(spec)
    _play(sandbox, GATED, turns)
    sandbox.end_conversation()
    sandbox.submit({}, contact_id=GATED)
    row = next(r for r in debrief(sandbox) if r["contact_id"] == GATED)
    said = {t["text"]: t for t in row["calls"][0]["turns"]}
    assert "uncovered the need" in said[STRONG[2]]["earned"]
    assert "earned the need in full" in said[STRONG[2]]["why"]
    assert said[LEADING]["earned"] == "goodwill -1"
    assert "leading question" in said[LEADING]["why"]
    assert "only a yes or no about the budget" in said[CLOSED]["why"]
    assert "earned the authority in full" in said[STRONG[4]]["why"]
