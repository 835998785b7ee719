"""One source for each vocabulary: course/vocabulary.py, and the grader for what it owns.

The exercise specs, the engine and the platform read the words from there; where a
layer may not import it (the grader imports nothing of ours), a test keeps its own list
equal to the shared one.
"""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

import grader
import grader.qualification
import grader.report
from course import exercise_specs as specs
from course import vocabulary as vocab
from course.drill_specs import load_drills
from grader.lexicon import INDUSTRY_TERMS
from simulator import generate, packs, sandbox, sandbox_rules, state

ROOT = Path(__file__).resolve().parents[2]


def _literal(model: type[specs.BaseModel], name: str) -> tuple[str, ...]:
    annotation = model.model_fields[name].annotation
    while typing.get_origin(annotation) is not typing.Literal:
        annotation = typing.get_args(annotation)[0]  # tuple[X, ...] or X | None
    return typing.get_args(annotation)


@pytest.mark.parametrize(
    ("model", "field", "words"),
    [
        (specs.ExerciseSpec, "industry", tuple(vocab.INDUSTRIES)),
        (specs.MarketSpec, "industry", tuple(vocab.INDUSTRIES)),
        (specs.ExerciseSpec, "kind", tuple(vocab.EXERCISE_KINDS)),
        (specs.ExerciseSpec, "channels", tuple(vocab.CHANNELS)),
        (specs.DeliverableSpec, "channel", vocab.OUTREACH_CHANNELS),
        (specs.PolicyStep, "channel", vocab.OUTREACH_CHANNELS),
        (specs.PaidSpend, "channel", vocab.PAID_CHANNELS),
        (specs.IcpSpec, "seniority", tuple(vocab.SENIORITIES)),
        (specs.MarketSpec, "regions", tuple(vocab.REGIONS)),
        (specs.DeliverableSpec, "frameworks", tuple(grader.qualification.FRAMEWORKS)),
    ],
)
def test_exercise_specs_accept_exactly_the_shared_words(
    model: type[specs.BaseModel], field: str, words: tuple[str, ...]
) -> None:
    assert _literal(model, field) == words


def test_exercise_kinds_are_the_graders_kinds_less_the_lesson_quiz() -> None:
    # quiz, profile and cv are graded without a sandbox run, and drill kinds (DRILL = True,
    # graded against a course/drills file) without a market: no exercise spec names them
    drills = {kind for kind, module in grader.KINDS.items() if getattr(module, "DRILL", False)}
    drills |= {drill.grader for drill in load_drills().values()}
    assert set(vocab.EXERCISE_KINDS) == set(grader.KINDS) - {"quiz", "profile", "cv"} - drills
    assert specs.FRAMEWORK_NAMES == tuple(grader.qualification.FRAMEWORKS)


def test_the_engine_reads_the_shared_words() -> None:
    assert packs.INDUSTRIES == tuple(vocab.INDUSTRIES)
    assert packs.SENIORITIES == tuple(vocab.SENIORITIES)
    assert (state.STAGES, state.ALL_STAGES) == (vocab.STAGES, vocab.ALL_STAGES)
    assert sandbox.MESSAGE_CHANNELS == vocab.MESSAGE_CHANNELS
    assert sandbox.PAID_CHANNELS == vocab.PAID_CHANNELS
    assert generate.CHANNELS == vocab.OUTREACH_CHANNELS
    # the grader owns the qualification frameworks and decisions: the engine imports them
    assert sandbox.FRAMEWORKS is grader.qualification.FRAMEWORKS
    assert sandbox.DECISIONS is grader.qualification.DECISIONS
    assert sandbox_rules.FRAMEWORKS is grader.qualification.FRAMEWORKS


def test_per_industry_tables_cover_every_industry() -> None:
    for industry in vocab.INDUSTRIES:
        assert packs.industry_pack(industry).key == industry
    assert set(generate.CHANNEL_WEIGHTS) == set(vocab.INDUSTRIES)
    assert set(INDUSTRY_TERMS) == set(vocab.INDUSTRIES)
    assert set(packs.cities_by_region()) == set(vocab.REGIONS)


def test_the_graders_report_stages_are_the_pipeline_stages() -> None:
    assert grader.report.STAGES == vocab.ALL_STAGES


def test_every_key_has_a_label_and_the_labels_are_distinct() -> None:
    for table in (
        vocab.INDUSTRIES,
        vocab.STAGE_LABELS,
        vocab.CHANNELS,
        vocab.INBOUND_SOURCES,
        vocab.SENIORITIES,
        vocab.REGIONS,
        vocab.EXERCISE_KINDS,
    ):
        labels = list(table.values())
        assert all(label.strip() for label in labels)
        assert len(set(labels)) == len(labels)
    assert tuple(vocab.STAGE_LABELS) == vocab.ALL_STAGES
    assert set(vocab.MESSAGE_CHANNELS) | set(vocab.PAID_CHANNELS) <= set(vocab.CHANNELS)
    assert set(vocab.OUTREACH_CHANNELS) <= set(vocab.CHANNELS)


def test_the_vocabulary_is_read_only() -> None:
    with pytest.raises(TypeError):
        vocab.INDUSTRIES["crypto"] = "Crypto"  # type: ignore[index]


def test_the_industry_list_is_written_once() -> None:
    """No other module of ours spells the whole industry list out again."""
    spelled = [f'"{key}"' for key in vocab.INDUSTRIES]
    found = []
    for package in ("course", "simulator", "leadworks"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if all(word in text for word in spelled) and path.name != "vocabulary.py":
                found.append(path.relative_to(ROOT).as_posix())
    # generate.py keeps a table of data per industry (preferred channels), checked above
    assert found == ["simulator/generate.py"]
