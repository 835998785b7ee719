"""Exercise definitions: the seven contract exercises load; errors name file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.exercise_specs import ExerciseSpecError, load_exercises

CONTRACT = {
    "prospect-list-saas": ("prospect_list", "saas"),
    "cold-email-dental": ("outreach", "medical_dental"),
    "linkedin-note-coaching": ("outreach", "coaching_consulting"),
    "sequence-real-estate": ("sequence", "real_estate"),
    "qualify-insurance-leads": ("qualification", "finance_insurance"),
    "pipeline-report-salons": ("report", "local_business"),
    "capstone-local-gyms": ("report", "local_business"),
}
SOURCE = Path(__file__).resolve().parents[2] / "course" / "exercises"


def test_contract_exercises_load_with_their_kind_and_industry() -> None:
    specs = load_exercises()
    assert set(CONTRACT) <= set(specs)
    for exercise_id, (kind, industry) in CONTRACT.items():
        spec = specs[exercise_id]
        assert (spec.kind, spec.industry, spec.id) == (kind, industry, exercise_id)
        assert spec.title and spec.summary
    assert specs["pipeline-report-salons"].preplayed is not None
    assert specs["capstone-local-gyms"].duration_days == 30


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (SOURCE / "cold-email-dental.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_a_bad_field_is_named_with_its_file(tmp_path: Path) -> None:
    folder = _copy_with(
        tmp_path,
        "bad.yaml",
        "contacts_per_company: {min: 1, max: 3}",
        "contacts_per_company: {min: 1, max: many}",
    )
    with pytest.raises(ExerciseSpecError) as info:
        load_exercises(folder)
    assert info.value.path.name == "bad.yaml"
    assert info.value.field == "market.contacts_per_company.max"


def test_unknown_fields_and_wrong_industry_are_refused(tmp_path: Path) -> None:
    folder = _copy_with(tmp_path, "x.yaml", "duration_days: 7", "duration_days: 7\ncolour: red")
    with pytest.raises(ExerciseSpecError, match="colour"):
        load_exercises(folder)
    other = tmp_path / "other"
    other.mkdir()
    _copy_with(other, "y.yaml", "industry: medical_dental", "industry: saas")
    with pytest.raises(ExerciseSpecError, match="industry"):
        load_exercises(other)


def test_course_does_not_import_simulator_or_grader() -> None:
    text = (SOURCE.parent / "exercise_specs.py").read_text(encoding="utf-8")
    assert "import simulator" not in text and "from simulator" not in text
    assert "import grader" not in text and "from grader" not in text


def test_every_industry_pack_has_an_exercise_that_practises_email() -> None:
    """Email can be practised in every pack, in an exercise whose deliverable is an email
    or that allows it beside other channels; each such exercise names its lessons."""
    from simulator.packs import INDUSTRIES

    specs = load_exercises().values()
    for industry in INDUSTRIES:
        emailing = [s for s in specs if s.industry == industry and "email" in s.channels]
        assert emailing, f"no exercise lets a learner email in the {industry} pack"
        assert all(s.lessons for s in emailing)


@pytest.mark.parametrize("exercise_id", ["cold-email-saas", "cold-email-coaching"])
def test_the_new_email_exercises_play_a_screened_campaign(exercise_id: str) -> None:
    """The generic policy emails the pack's prospects; the runner's consent screen keeps it
    clear of CASL and PECR consent breaches (Canada and the UK are in the coaching market)."""
    from simulator import Sandbox, build_world, exercise_spec
    from simulator.calibration import policy
    from simulator.runner import run_policy

    spec = exercise_spec(exercise_id)
    sandbox = Sandbox(build_world(spec, 2), spec, analyse_per_template=True)
    run_policy(sandbox, policy("generic"))
    assert sandbox.state.counts["sent_email"] > 0
    kinds = {v["kind"] for v in sandbox.state.violations}
    assert "email_without_consent" not in kinds
