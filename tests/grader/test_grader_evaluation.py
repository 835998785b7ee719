"""The outreach evaluation set: the grader must agree with expert judgement on it.

The set (grader/evalset/) holds messages written for it, labelled good or bad with a
one-line reason and its source. These tests fail when the rubric drifts from the labels:
an AUC under 0.90, or any message built to game the grader scoring above 55%.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from grader.evaluation import (
    AUC_FLOOR,
    GAMING_CEILING,
    Scored,
    auc,
    load_cases,
    report,
    score,
)

INDUSTRIES = {
    "real_estate",
    "coaching_consulting",
    "medical_dental",
    "finance_insurance",
    "saas",
    "local_business",
}
SOURCES_DOC = Path(__file__).parents[2] / "docs" / "evaluation.md"


@cache
def scored() -> tuple[Scored, ...]:
    return tuple(score(c) for c in load_cases())


def test_the_set_is_large_and_covers_every_channel_and_industry() -> None:
    cases = load_cases()
    assert len(cases) >= 150
    assert len({c.id for c in cases}) == len(cases)
    assert Counter(c.channel for c in cases).keys() == {"email", "linkedin", "call"}
    assert {c.context["prospect"]["industry"] for c in cases} == INDUSTRIES
    labels = Counter(c.good for c in cases)
    assert labels[True] >= 60 and labels[False] >= 60
    assert sum(c.gaming for c in cases) >= 40
    assert sum(c.held_out for c in cases) >= 30


def test_every_label_gives_a_reason_with_a_documented_source() -> None:
    documented = set(re.findall(r"^\| `([\w-]+)` \|", SOURCES_DOC.read_text(), re.MULTILINE))
    for case in load_cases():
        keys = re.findall(r"\[([^\]]+)\]$", case.reason)
        assert keys, case.id
        for key in keys[0].split(", "):
            assert key in documented, f"{case.id}: source {key!r} is not in docs/evaluation.md"


def test_auc_is_at_least_the_floor_overall_and_on_the_held_out_share() -> None:
    everything = report(scored())
    held_out = report([s for s in scored() if s.case.held_out])
    assert everything.overall is not None and everything.overall >= AUC_FLOOR
    assert held_out.overall is not None and held_out.overall >= AUC_FLOOR
    for channel, value in everything.by_channel.items():
        assert value is not None and value >= AUC_FLOOR, channel


def test_no_gaming_message_scores_above_the_ceiling() -> None:
    over = [
        (s.case.id, s.percent) for s in scored() if s.case.gaming and s.percent > GAMING_CEILING
    ]
    assert over == []


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(1.0, True), (0.0, False)], 1.0),
        ([(0.0, True), (1.0, False)], 0.0),
        ([(0.5, True), (0.5, False)], 0.5),
        ([(0.9, True), (0.2, True), (0.5, False)], 0.5),
    ],
)
def test_auc_counts_ordered_pairs_and_half_for_ties(
    pairs: list[tuple[float, bool]], expected: float
) -> None:
    assert auc(pairs) == expected


def test_auc_needs_both_labels() -> None:
    assert auc([(1.0, True)]) is None
