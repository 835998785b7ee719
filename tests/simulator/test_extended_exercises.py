"""Extended exercises. linkedin-after-acceptance: an outreach exercise on LinkedIn whose grading context carries
the accepted connection note, written for the prospect the learner chose, so the grader
judges the follow-up message against it. Linked both ways with the linkedin-outreach lesson."""

from __future__ import annotations

from course.catalog import load_catalog
from simulator import exercise_spec, grading_input, open_exercise
from tests.simulator.conftest import fixed_analyser

EXERCISE = "linkedin-after-acceptance"


def test_the_exercise_is_linkedin_outreach_with_a_given_note() -> None:
    spec = exercise_spec(EXERCISE)
    assert spec.kind == "outreach" and spec.deliverable.channel == "linkedin"
    assert spec.deliverable.accepted_note and "{{first_name}}" in spec.deliverable.accepted_note
    assert "linkedin-outreach" in spec.lessons
    assert exercise_spec("linkedin-note-coaching").deliverable.accepted_note is None


def test_the_lesson_and_the_exercise_link_each_other() -> None:
    catalog = load_catalog()
    assert EXERCISE in catalog.lesson("linkedin-outreach").exercises
    assert "linkedin-outreach" in catalog.exercises[EXERCISE].spec.lessons
    assert not [p for p in catalog.problems if EXERCISE in str(p)]


def test_the_grading_context_holds_the_note_for_the_chosen_prospect() -> None:
    sb = open_exercise(EXERCISE, seed=3, analyser=fixed_analyser)
    contact = next(c for c in sb.world.contacts if c.decision_maker)
    sb.submit(
        {"channel": "linkedin", "subject": None, "body": "Thanks for connecting."},
        contact_id=contact.id,
    )
    context = grading_input(sb).context
    note = context["thread"]["note"]
    assert contact.first_name in note and "{{" not in note
    # without a contact there is no note to follow
    bare = open_exercise(EXERCISE, seed=3, analyser=fixed_analyser)
    bare.submit({"channel": "linkedin", "subject": None, "body": "Hello."})
    assert "thread" not in grading_input(bare).context


def test_the_prospect_list_context_asks_for_hooks_with_the_named_profiles() -> None:
    sb = open_exercise("prospect-list-saas", seed=2, analyser=fixed_analyser)
    chosen = [c.id for c in sb.world.contacts if c.truth.fits_icp][:20]
    sb.add_to_list(chosen)
    top = sb.world.contact(chosen[0])
    hook = {"contact_id": chosen[0], "hook": "A line.", "source": "their website"}
    sb.submit({"contact_ids": chosen, "hooks": [hook]})
    hooks = grading_input(sb).context["hooks"]
    assert hooks["wanted"] == 5 and hooks["offer"] == sb.exercise.client.offer
    assert set(hooks["profiles"]) == {chosen[0]}
    profile = hooks["profiles"][chosen[0]]
    assert profile["first_name"] == top.first_name and profile["facts"]
