"""Drills (course/drills/*.yaml): the spec, its errors, and the catalog's links both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from course.catalog import load_catalog
from course.drill_specs import DRILLS_DIR, DrillSpecError, load_drills, parse_drill
from grader.registry import KINDS

TRIAGE = DRILLS_DIR / "compliance-triage-list.yaml"


def test_every_drill_in_the_folder_loads_with_a_real_grader_kind() -> None:
    drills = load_drills(kinds=KINDS)
    assert "compliance-triage-list" in drills
    for drill_id, spec in drills.items():
        assert spec.id == drill_id and spec.grader in KINDS
        assert len(set(spec.item_ids())) == len(spec.item_ids())


def test_the_real_catalog_links_every_drill_both_ways() -> None:
    catalog = load_catalog(drill_kinds=KINDS)
    assert set(catalog.drills) == {p.stem for p in DRILLS_DIR.glob("*.yaml")}
    assert not [p for p in catalog.problems if p.path.parent == DRILLS_DIR]
    for drill in catalog.drills.values():
        named_by = {lesson.id for lesson in catalog.lessons_for_exercise(drill.id)}
        assert named_by == set(drill.spec.lessons), drill.id
    triage = {x.id for x in catalog.lessons_for_exercise("compliance-triage-list")}
    assert triage >= {"compliance-triage", "email-rules", "phone-and-data-rules"}
    assert (
        catalog.exercise_title("compliance-triage-list")
        == catalog.drills["compliance-triage-list"].title
    )


def test_the_public_part_never_holds_the_key() -> None:
    spec = parse_drill(TRIAGE, KINDS)
    public = spec.public()
    assert "key" not in public and public["materials"]["items"]
    assert "'why':" not in repr(public) and "reason_terms" not in repr(public)
    assert spec.grading_context()["drill"]["key"]["rows"]["c02"]["email"] is False


def _write(tmp_path: Path, data: dict, name: str = "compliance-triage-list") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _triage() -> dict:
    return yaml.safe_load(TRIAGE.read_text(encoding="utf-8"))


def _break_item_id(d: dict) -> None:
    del d["materials"]["items"][3]["id"]


def _duplicate_item(d: dict) -> None:
    d["materials"]["items"][1]["id"] = d["materials"]["items"][0]["id"]


def _choice_without_options(d: dict) -> None:
    d["fields"][0]["options"] = []


def _options_on_text(d: dict) -> None:
    d["fields"][1]["options"] = ["a"]


def _bad_type(d: dict) -> None:
    d["fields"][1]["type"] = "essay"


def _not_a_drill(d: dict) -> None:
    d["kind"] = "exercise"


def _stray_field(d: dict) -> None:
    d["answer"] = "x"


def _twice_named_text(d: dict) -> None:
    d["texts"].append(dict(d["texts"][0]))


def _no_key(d: dict) -> None:
    del d["key"]


@pytest.mark.parametrize(
    ("mutate", "field", "words"),
    [
        (_break_item_id, "materials", "items[3] has no `id`"),
        (_duplicate_item, "materials", "is used twice"),
        (_choice_without_options, "fields[0]", "needs `options`"),
        (_options_on_text, "fields[1]", "only for a choice field"),
        (_bad_type, "fields[1].type", "'choice'"),
        (_not_a_drill, "kind", "'drill'"),
        (_stray_field, "answer", "Extra inputs"),
        (_twice_named_text, "", "texts: a name is used twice"),
        (_no_key, "key", "Field required"),
    ],
)
def test_a_broken_drill_names_the_file_and_the_field(
    tmp_path: Path, mutate: object, field: str, words: str
) -> None:
    data = _triage()
    mutate(data)  # type: ignore[operator]
    path = _write(tmp_path, data)
    with pytest.raises(DrillSpecError) as caught:
        parse_drill(path, KINDS)
    assert caught.value.field == field
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{path}: ")


def test_an_unknown_grader_kind_is_refused_naming_the_field(tmp_path: Path) -> None:
    data = _triage() | {"grader": "telepathy"}
    path = _write(tmp_path, data)
    with pytest.raises(DrillSpecError) as caught:
        parse_drill(path, KINDS)
    assert caught.value.field == "grader" and "unknown grader kind 'telepathy'" in str(caught.value)
    assert parse_drill(path).grader == "telepathy"  # course alone cannot know the kinds


def test_the_id_must_be_the_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, _triage() | {"id": "other"})
    with pytest.raises(DrillSpecError, match="differs from the file name"):
        parse_drill(path)


# --------------------------------------------------------------------------- catalog links


def _drill_in(course: Path, lessons: str, name: str = "triage-here") -> Path:
    folder = course / "drills"
    folder.mkdir(exist_ok=True)
    data = _triage()
    data["lessons"] = [x.strip() for x in lessons.split(",") if x.strip()]
    return _write(folder, data, name)


def _lesson_names(course: Path, old: str, new: str) -> None:
    path = course / "lessons" / "03-lead-fundamentals" / "what-is-a-lead.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_drill_linked_both_ways_is_a_practice_item(fixture_course: Path) -> None:
    _drill_in(fixture_course, "what-is-a-lead")
    _lesson_names(fixture_course, "[prospect-list-saas]", "[prospect-list-saas, triage-here]")
    catalog = load_catalog(fixture_course, drill_kinds=KINDS)
    assert catalog.problems == ()
    assert catalog.is_drill("triage-here") and not catalog.is_drill("prospect-list-saas")
    assert [x.id for x in catalog.lessons_for_exercise("triage-here")] == ["what-is-a-lead"]


def test_a_drill_naming_a_lesson_that_does_not_name_it_is_a_warning(fixture_course: Path) -> None:
    path = _drill_in(fixture_course, "what-is-a-lead")
    [problem] = load_catalog(fixture_course, drill_kinds=KINDS).problems
    assert problem.path == path and problem.field == "lessons[0]"
    assert "does not list 'triage-here'" in problem.message


def test_a_lesson_naming_a_drill_that_forgets_it_is_a_warning(fixture_course: Path) -> None:
    _drill_in(fixture_course, "")
    _lesson_names(fixture_course, "[prospect-list-saas]", "[prospect-list-saas, triage-here]")
    [problem] = load_catalog(fixture_course, drill_kinds=KINDS).problems
    assert problem.path.name == "what-is-a-lead.md" and problem.field == "exercises[1]"
    assert "whose `lessons:` does not list 'what-is-a-lead'" in problem.message


def test_a_drill_naming_an_unknown_lesson_is_a_warning(fixture_course: Path) -> None:
    _drill_in(fixture_course, "no-such-lesson")
    [problem] = load_catalog(fixture_course, drill_kinds=KINDS).problems
    assert "unknown lesson id 'no-such-lesson'" in problem.message


def test_a_broken_drill_is_a_warning_and_the_rest_still_loads(fixture_course: Path) -> None:
    path = _drill_in(fixture_course, "")
    path.write_text(re.sub(r"(?m)^grader: .*$", "grader: telepathy", path.read_text()))
    catalog = load_catalog(fixture_course, drill_kinds=KINDS)
    [problem] = catalog.problems
    assert problem.field == "grader" and catalog.drills == {}
    assert "prospect-list-saas" in catalog.exercises


def test_a_drill_may_not_take_an_exercise_id(fixture_course: Path) -> None:
    _drill_in(fixture_course, "", name="prospect-list-saas")
    problems = load_catalog(fixture_course, drill_kinds=KINDS).problems
    assert any("is also an exercise id" in p.message for p in problems)
