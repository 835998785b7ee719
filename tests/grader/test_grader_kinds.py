"""Sequence, prospect list, qualification, report and quiz: targeted behaviours and errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed, load_golden

from grader import SubmissionError, grade


def run(case: dict[str, Any], submission: dict[str, Any] | None = None, context: Any = None):  # type: ignore[no-untyped-def]
    sub = case["submission"] if submission is None else submission
    g = grade(case["kind"], sub, case["context"] if context is None else context)
    assert_well_formed(g)
    assert_spans_exact(g, sub)
    return g


def expect_error(case: dict[str, Any], submission: Any, location: str, context: Any = None) -> None:
    with pytest.raises(SubmissionError) as info:
        grade(case["kind"], submission, case["context"] if context is None else context)
    assert info.value.location == location


# ----------------------------------------------------------------------------- sequence

SEQ = load_golden("sequence-real-estate-strong")


def seq_with(**changes: Any) -> dict[str, Any]:
    sub = copy.deepcopy(SEQ["submission"])
    sub.update(changes)
    return sub


def test_sequence_parts_are_the_outreach_grades_of_each_step() -> None:
    g = run(SEQ)
    assert [p.kind for p in g.parts] == ["outreach"] * 3
    assert g.parts[0].checks[0].evidence[0].field == "steps[0].body"
    mean = sum(p.score / p.possible for p in g.parts) / 3
    assert g.check("message_quality").points == round(40 * mean, 2)


def test_follow_ups_may_reuse_the_thread_but_the_first_touch_may_not() -> None:
    g = run(SEQ)
    assert g.parts[2].check("subject").points == 5  # "Re: ..." on step 2 is the same thread
    steps = copy.deepcopy(SEQ["submission"]["steps"])
    steps[0]["subject"] = "Re: " + steps[0]["subject"]
    first = run(SEQ, seq_with(steps=steps)).parts[0]
    assert first.check("honesty").points == 0  # a fake thread on the first touch misleads
    assert first.check("honesty").evidence[0].field == "steps[0].subject"


#: Words for follow-ups that each bring something new (no two share a content word).
NEW_TOPICS = [
    "valuation checklist sellers downsizing bungalows",
    "probate cases executors solicitors handover timing",
    "landlords leaving portfolio tax changes selling",
    "school catchment families upsizing spring listings",
    "relocation employers hospital nurses renting first",
]


def distinct_steps(n: int) -> list[dict[str, Any]]:
    """A first touch and n - 1 follow-ups, 3 days apart, each on a new topic."""
    first = copy.deepcopy(SEQ["submission"]["steps"][0])
    follow = [
        {
            "delay_days": 3,
            "channel": "email",
            "subject": "",
            "body": f"Hi Sofia, one more idea: {t}.",
        }
        for t in NEW_TOPICS[: n - 1]
    ]
    return [first, *follow]


@pytest.mark.parametrize(
    ("n_steps", "expected"), [(1, 0.0), (2, 7.5), (3, 15.0), (4, 15.0), (5, 7.5), (6, 3.0)]
)
def test_touches(n_steps: int, expected: float) -> None:
    steps = distinct_steps(n_steps)
    assert run(SEQ, seq_with(steps=steps)).check("touches").points == expected


@pytest.mark.parametrize("n_steps", [3, 4, 6])
def test_copied_follow_ups_are_not_touches(n_steps: int) -> None:
    """Follow-ups that repeat the first email add nothing: no touch, no spacing, no mix."""
    first = SEQ["submission"]["steps"][0]
    copies = [{**copy.deepcopy(first), "delay_days": 3, "channel": "linkedin"}] * (n_steps - 1)
    g = run(SEQ, seq_with(steps=[copy.deepcopy(first), *copies]))
    for check_id in ("touches", "spacing", "channel_mix", "stop_rules", "new_angle"):
        assert g.check(check_id).points == 0, check_id
    assert g.percent <= 40


def test_a_one_email_sequence_earns_no_stop_rules_or_channel_mix() -> None:
    g = run(SEQ, seq_with(steps=[copy.deepcopy(SEQ["submission"]["steps"][0])]))
    assert g.check("stop_rules").points == 0 and g.check("channel_mix").points == 0
    assert "nothing for a stop rule to stop" in g.check("stop_rules").verdict
    assert g.percent <= 40


@pytest.mark.parametrize(("delays", "expected"), [([3, 5], 10.0), ([1, 4], 7.5), ([0, 12], 0.0)])
def test_spacing(delays: list[int], expected: float) -> None:
    steps = copy.deepcopy(SEQ["submission"]["steps"])
    steps[1]["delay_days"], steps[2]["delay_days"] = delays
    assert run(SEQ, seq_with(steps=steps)).check("spacing").points == expected


def test_stop_rules_weigh_the_opt_out_double() -> None:
    assert run(SEQ, seq_with(stop_on_reply=False)).check("stop_rules").points == 10
    assert run(SEQ, seq_with(stop_on_opt_out=False)).check("stop_rules").points == 5
    assert (
        run(SEQ, seq_with(stop_on_reply=False, stop_on_opt_out=False)).check("stop_rules").points
        == 0
    )


def test_bumps_do_not_count_as_new() -> None:
    g = run(load_golden("sequence-real-estate-bumps"))
    c = g.check("new_angle")
    assert c.points == 0
    assert [e.field for e in c.evidence] == ["steps[1].body", "steps[2].body", "steps[3].body"]
    assert c.evidence[1].quote == "just bumping"


def test_a_do_not_contact_prospect_gets_no_sequence() -> None:
    context = copy.deepcopy(SEQ["context"])
    context["prospect"]["do_not_contact"] = True
    g = run(SEQ, context=context)
    assert g.score == 0 and "no sequence should start" in g.check("touches").verdict


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"steps": []}, "submission.steps"),
        ({"steps": "one"}, "submission.steps"),
        (
            {"steps": [{"channel": "email", "body": "Hi"}, {"channel": "email", "body": "Hi"}]},
            "submission.steps[1].delay_days",
        ),
        ({"steps": [{"delay_days": 0, "channel": "email", "body": 3}]}, "submission.steps[0].body"),
        (
            {"steps": [{"delay_days": -1, "channel": "email", "body": "Hi"}]},
            "submission.steps[0].delay_days",
        ),
        ({"stop_on_reply": "yes"}, "submission.stop_on_reply"),
    ],
)
def test_sequence_errors_name_the_step(changes: dict[str, Any], location: str) -> None:
    expect_error(SEQ, seq_with(**changes), location)


# ----------------------------------------------------------------------------- prospect list

PL = load_golden("prospect-list-saas-mixed")


def test_unknown_ids_are_evidence_not_a_crash() -> None:
    g = run(PL, {"contact_ids": ["c-01", "nobody"]})
    notes = {e.note: e.record_ids for e in g.check("fit_precision").evidence}
    assert notes["not a contact in this market"] == ("nobody",)


def test_fit_precision_scale() -> None:
    context = {**PL["context"], "list_size": {"min": 10, "max": 40}}
    fits = ["c-01", "c-04", "c-07", "c-10", "c-13", "c-16", "c-19", "c-22", "c-02", "c-03"]
    assert run(PL, {"contact_ids": fits}, context).check("fit_precision").points == 35  # 100%
    half = fits[:5] + ["c-25", "c-28", "c-31", "c-34", "c-26"]
    assert run(PL, {"contact_ids": half}, context).check("fit_precision").points == 0  # 50%
    seven = fits[:7] + ["c-25", "c-28", "c-31"]
    assert run(PL, {"contact_ids": seven}, context).check("fit_precision").points == 17.5


def test_fit_is_scaled_by_the_size_asked() -> None:
    """One perfect contact when 20-40 were asked fills 5% of the list, and earns 5% of fit."""
    g = run(PL, {"contact_ids": ["c-01"]})
    assert g.check("fit_precision").points == round(35 * 1 / 20, 2)
    assert g.percent <= 15
    assert "5% of the size asked" in g.check("fit_precision").verdict


def test_made_up_ids_earn_nothing() -> None:
    made_up = [f"c-{900 + i}" for i in range(25)]
    g = run(PL, {"contact_ids": made_up})
    assert g.score == 0
    notes = {e.note for e in g.check("fit_precision").evidence}
    assert "not a contact in this market" in notes


def test_ids_are_matched_ignoring_case_and_spaces() -> None:
    g = run(PL, {"contact_ids": [" C-01 ", "c-04"]})
    assert not any("not a contact" in e.note for e in g.check("fit_precision").evidence)


def test_a_list_size_of_zero_is_refused_clearly() -> None:
    context = {**PL["context"], "list_size": {"min": 0, "max": 0}}
    expect_error(PL, PL["submission"], "context.list_size.max", context)


def test_do_not_contact_and_duplicates_are_listed() -> None:
    g = run(PL, {"contact_ids": ["c-05", "c-01", "c-01", "c-31"]})
    assert g.check("do_not_contact").evidence[0].record_ids == ("c-05", "c-31")
    assert g.check("duplicates").evidence[0].record_ids == ("c-01",)
    assert g.check("duplicates").points == 5


def test_prospect_list_without_context_grades_what_it_can() -> None:
    g = run(PL, context={})
    assert [c.id for c in g.checks] == ["duplicates"]
    assert len(g.skipped) == 6  # hooks too: a context that asks for none
    assert dict(g.skipped)["hooks"] == "this exercise does not ask for research hooks"


@pytest.mark.parametrize(
    ("submission", "location"),
    [
        ({"contact_ids": []}, "submission.contact_ids"),
        ({"contact_ids": ["c-01", 7]}, "submission.contact_ids[1]"),
        ({}, "submission.contact_ids"),
        ({"contact_ids": ["c-01"], "notes": 1}, "submission.notes"),
    ],
)
def test_prospect_list_errors(submission: dict[str, Any], location: str) -> None:
    expect_error(PL, submission, location)


def test_prospect_list_context_errors() -> None:
    expect_error(
        PL,
        {"contact_ids": ["c-01"]},
        "context.contacts.c-01.fits_icp",
        context={"contacts": {"c-01": {"fits_icp": "yes"}}},
    )


# ----------------------------------------------------------------------------- qualification

Q = load_golden("qualification-insurance-strong")


def q_leads() -> list[dict[str, Any]]:
    return copy.deepcopy(Q["submission"]["leads"])


def test_guessing_an_unrevealed_criterion_is_wrong_even_when_true() -> None:
    leads = q_leads()
    leads[3]["criteria"]["timeline"] = {
        "value": "yes",
        "note": "Sounded keen",
    }  # truth: yes, unrevealed
    g = run(Q, {"framework": "bant", "leads": leads})
    (e,) = g.check("criteria_accuracy").evidence
    assert e.record_ids == ("ins-104",) and "no call uncovered it: a guess" in e.note


def test_costly_mistakes_weigh_double() -> None:
    leads = q_leads()
    leads[1]["decision"] = "advance"  # ins-102 has no authority
    g = run(Q, {"framework": "bant", "leads": leads})
    assert g.check("costly_mistakes").points == 15
    assert g.check("decision_accuracy").points == round(25 * 5 / 6, 2)
    leads[0]["decision"] = "disqualify"  # ins-101 is a ready buyer
    g = run(Q, {"framework": "bant", "leads": leads})
    assert g.check("costly_mistakes").points == 5
    assert "precision 50% (1/2), recall 50% (1/2)" in g.check("decision_accuracy").verdict


def test_nurture_and_disqualify_mixed_up_earn_half() -> None:
    leads = q_leads()
    leads[5]["decision"] = "disqualify"  # truth: nurture
    g = run(Q, {"framework": "bant", "leads": leads})
    assert g.check("decision_accuracy").points == round(25 * 5.5 / 6, 2)
    assert g.check("costly_mistakes").points == 25


def test_champ_submission_is_graded_against_bant_truth() -> None:
    g = run(load_golden("qualification-insurance-champ-guesses"))
    assert g.check("costly_mistakes").evidence[0].note == "advanced with no authority"


def test_missing_leads_and_thin_notes() -> None:
    leads = q_leads()[:4]
    leads[0]["criteria"]["budget"]["note"] = "ok"
    g = run(Q, {"framework": "bant", "leads": leads})
    assert g.check("coverage").evidence[0].record_ids == ("ins-105", "ins-106")
    assert g.check("notes").evidence[0].note == "budget: no real note"


def test_accuracy_is_weighed_by_coverage_of_the_leads_asked() -> None:
    """Judging one lead of six right is a sixth of the work, not 100%."""
    (one,) = [lead for lead in q_leads() if lead["contact_id"] == "ins-101"]
    g = run(Q, {"framework": "bant", "leads": [one]})
    assert g.check("decision_accuracy").points == round(25 / 6, 2)
    assert g.check("criteria_accuracy").points <= 30 / 6 + 0.01
    assert g.check("costly_mistakes").points <= 25 / 6 + 0.01
    assert g.percent <= 30


@pytest.mark.parametrize("note", ["asdf asdf asdf", "ok ok ok", "x y z", "see notes above"[:0]])
def test_junk_notes_earn_nothing(note: str) -> None:
    leads = q_leads()
    for lead in leads:
        for judged in lead["criteria"].values():
            judged["note"] = note
    g = run(Q, {"framework": "bant", "leads": leads})
    assert g.check("notes").points == 0


def test_unknown_ids_earn_no_note_credit() -> None:
    fake = copy.deepcopy(q_leads()[0])
    fake["contact_id"] = "ins-999"
    g = run(Q, {"framework": "bant", "leads": [fake]})
    assert g.check("notes").points == 0
    assert g.check("coverage").points == 0


@pytest.mark.parametrize(
    ("mutate", "location"),
    [
        (lambda s: s.update(framework="meddic"), "submission.framework"),
        (lambda s: s["leads"][2]["criteria"].pop("need"), "submission.leads[2].criteria.need"),
        (
            lambda s: s["leads"][0]["criteria"].update(money={"value": "yes"}),
            "submission.leads[0].criteria.money",
        ),
        (
            lambda s: s["leads"][1]["criteria"]["budget"].update(value="maybe"),
            "submission.leads[1].criteria.budget.value",
        ),
        (lambda s: s["leads"][3].update(decision="hold"), "submission.leads[3].decision"),
        (lambda s: s["leads"][4].update(contact_id="ins-101"), "submission.leads[4].contact_id"),
    ],
)
def test_qualification_errors(mutate: Any, location: str) -> None:
    sub = copy.deepcopy(Q["submission"])
    mutate(sub)
    expect_error(Q, sub, location)


# ----------------------------------------------------------------------------- report

R = load_golden("report-salons-strong")


def test_report_feedback_never_reveals_the_true_figure() -> None:
    g = run(load_golden("report-salons-sloppy"))
    notes = [e.note for c in g.checks for e in c.evidence if e.record_ids]
    assert "you wrote 45: too low by more than 5%" in notes
    assert all("48" not in n for n in notes)


def test_drop_off_must_be_the_lowest_rate() -> None:
    sub = copy.deepcopy(R["submission"])
    sub["analysis"] = "The biggest drop-off was from lead to MQL. We should call faster, at 37.5%."
    c = run(R, sub).check("drop_off")
    assert c.points == 0 and c.evidence[0].quote.startswith("The biggest drop-off")


def test_recommendation_tied_to_a_figure() -> None:
    sub = copy.deepcopy(R["submission"])
    sub["analysis"] = "I recommend calling new MQLs within the hour."
    assert run(R, sub).check("recommendation").points == 6
    sub["analysis"] = "I recommend calling new MQLs within the hour to lift the 37.5% rate."
    assert run(R, sub).check("recommendation").points == 20
    sub["analysis"] = "I recommend calling new MQLs within the hour to reach 60%."
    assert run(R, sub).check("recommendation").points == 14


def test_unused_channels_in_truth_are_skipped_and_null_costs_must_stay_null() -> None:
    context = copy.deepcopy(R["context"])
    context["truth"]["cost_per_acquisition"] = None  # no customers: CPA cannot be computed
    g = run(R, context=context)
    assert g.check("costs").points == 7.5
    assert "no basis" in g.check("costs").evidence[0].note
    assert "linkedin" not in str(g.check("reply_rates").to_dict())


def test_report_without_truth_still_grades_the_recommendation() -> None:
    g = run(R, context={})
    assert [c.id for c in g.checks] == ["recommendation"]


@pytest.mark.parametrize(
    ("mutate", "location"),
    [
        (lambda s: s.pop("figures"), "submission.figures"),
        (
            lambda s: s["figures"]["stage_counts"].update(lead=12.5),
            "submission.figures.stage_counts.lead",
        ),
        (
            lambda s: s["figures"]["conversion_rates"].update(mql_to_sql=140),
            "submission.figures.conversion_rates.mql_to_sql",
        ),
        (lambda s: s["figures"].update(cost_per_lead="25"), "submission.figures.cost_per_lead"),
        (
            lambda s: s["figures"].update(cost_per_lead=float("nan")),
            "submission.figures.cost_per_lead",
        ),
        (lambda s: s.update(analysis=None), "submission.analysis"),
    ],
)
def test_report_errors(mutate: Any, location: str) -> None:
    sub = copy.deepcopy(R["submission"])
    mutate(sub)
    expect_error(R, sub, location)


# ----------------------------------------------------------------------------- quiz

QZ = load_golden("quiz-funnel-strong")


def answers(**values: Any) -> dict[str, Any]:
    return {"answers": values}


def test_quiz_checks_are_the_questions() -> None:
    g = run(QZ)
    assert [c.id for c in g.checks] == ["q1", "q2", "q3", "q4", "q5"]
    assert g.check("q4").evidence[0].field == "answers.q4"


@pytest.mark.parametrize(
    ("picked", "expected"),
    [([0, 1, 3], 1.0), ([0, 1], 0.67), ([0, 1, 3, 4], 0.67), ([0, 2, 4], 0.0), ([], 0.0)],
)
def test_multiple_choice_partial_credit(picked: list[int], expected: float) -> None:
    assert run(QZ, answers(q2=picked)).check("q2").points == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (25, 1.0),
        (25.4, 1.0),
        ("25.5", 1.0),
        ("25,5", 1.0),  # a decimal comma
        ("$25", 1.0),
        ("25 USD", 1.0),
        ("€25.00", 1.0),
        ("2,5", 0.0),  # 2.5, not 25
        (26, 0.0),
    ],
)
def test_numeric_tolerance(value: Any, expected: float) -> None:
    assert run(QZ, answers(q3=value)).check("q3").points == expected


@pytest.mark.parametrize("value", ["twenty-five", "25x25", "1e400", "9" * 500, 10**400])
def test_numbers_that_cannot_be_read_are_refused_clearly(value: Any) -> None:
    expect_error(QZ, answers(q3=value), "submission.answers.q3")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CPL", 1.0),
        ("cost  per lead.", 1.0),
        ("costperlead", 1.0),
        ("cost-per-lead", 1.0),
        ("The cost per lead", 1.0),
        ("costs per leads", 1.0),
        ("cost", 0.0),
    ],
)
def test_text_answers_ignore_case_and_spaces(value: str, expected: float) -> None:
    assert run(QZ, answers(q4=value)).check("q4").points == expected


def test_unanswered_question_scores_zero_with_the_explanation() -> None:
    c = run(QZ, answers()).check("q5")
    assert c.points == 0 and c.verdict == "Not answered." and "Gong" in c.advice


@pytest.mark.parametrize(
    ("submission", "location"),
    [
        (answers(q9=1), "submission.answers.q9"),
        (answers(q1=7), "submission.answers.q1"),
        (answers(q1=True), "submission.answers.q1"),
        (answers(q2=1), "submission.answers.q2"),
        ({"answers": []}, "submission.answers"),
    ],
)
def test_quiz_errors(submission: dict[str, Any], location: str) -> None:
    expect_error(QZ, submission, location)


def test_quiz_definition_errors_point_into_the_context() -> None:
    bad = copy.deepcopy(QZ["context"])
    bad["quiz"]["questions"][0]["answer"] = 9
    expect_error(QZ, answers(), "context.quiz.questions[0].answer", context=bad)
    expect_error(QZ, answers(), "context.quiz", context={})
