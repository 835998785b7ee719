"""Property tests: any input grades within bounds, deterministically, or is refused cleanly.

Limits under test: a text field holds at most 20,000 characters (grader.fields.MAX_TEXT_CHARS);
longer input is refused with a SubmissionError naming the field, never a crash.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from grader_testkit import assert_spans_exact, assert_well_formed, load_golden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader import KINDS, Grade, SubmissionError, grade
from grader.fields import MAX_TEXT_CHARS

settings.register_profile(
    "grader", deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("grader")

FRAGMENTS = [
    "Hi Maria,",
    "Hello {{first_name}},",
    "Dear [Name],",
    "Hi Sarah,",
    "Congrats on the second clinic in Leeds.",
    "Patient no-shows cost you money.",
    "We cut no-shows by 31% at Riverside Dental.",
    "Worth a look?",
    "Can we book a 15-minute call on Tuesday?",
    "FREE trial, act now!!!",
    "GUARANTEED results.",
    "I think we are the best.",
    "Your team will love it.",
    "12 Harbour Street, Leeds LS1 4AB",
    "Reply 'no' and I won't write again.",
    "Re:",
    "P.S. If so, let me know.",
    "e.g. Dr. Patel",
    "\n",
    "\n\n",
    "—",
    "💬",
    "İstanbul",
    "ß",
    "ﬁ",
]
OPT_OUTS = [
    "Reply 'no' and I won't write again.",
    "Not interested? Reply STOP.",
    "Unsubscribe: reply remove.",
    "If you'd rather not hear from me again, just say so.",
]

message_text = st.lists(
    st.sampled_from(FRAGMENTS) | st.text(max_size=40), min_size=1, max_size=30
).map(" ".join)
any_text = st.text(max_size=400)
short = st.none() | st.text(max_size=40)

prospects = st.fixed_dictionaries(
    {},
    optional={
        "first_name": short,
        "last_name": short,
        "title": short,
        "company": short,
        "industry": st.none() | st.sampled_from(["saas", "medical_dental", "local_business", "x"]),
        "facts": st.lists(any_text, max_size=3),
        "pains": st.lists(any_text, max_size=3),
        "do_not_contact": st.booleans(),
    },
)
contexts = st.fixed_dictionaries(
    {},
    optional={
        "prospect": prospects,
        "sender": st.fixed_dictionaries(
            {}, optional={"name": short, "company": short, "postal_address": short}
        ),
        "offer": short,
    },
)
messages = st.fixed_dictionaries(
    {"channel": st.sampled_from(["email", "linkedin", "call"]), "body": message_text | any_text},
    optional={
        "subject": st.none()
        | st.text(max_size=80)
        | st.sampled_from(["Re: hi", "FREE!!!", "[Company]"])
    },
)
DENTAL = load_golden("email-dental-strong")["context"]


def grade_or_refuse(kind: str, submission: Any, context: Any) -> Grade | None:
    """Grade, or return None when the input is refused with a SubmissionError."""
    try:
        return grade(kind, submission, context)
    except SubmissionError as exc:
        assert exc.location and exc.message
        return None


@given(messages, contexts)
def test_outreach_scores_stay_in_bounds_and_quote_exactly(
    message: dict[str, Any], context: dict[str, Any]
) -> None:
    g = grade_or_refuse("outreach", message, context)
    if g is None:
        assert not message["body"].strip()
        return
    assert_well_formed(g)
    assert_spans_exact(g, message)
    assert g.possible == sum(c.possible for c in g.checks)


@given(messages, st.sampled_from([DENTAL, {}]))
def test_same_input_same_grade_and_same_json(
    message: dict[str, Any], context: dict[str, Any]
) -> None:
    first = grade_or_refuse("outreach", message, context)
    second = grade_or_refuse("outreach", json.loads(json.dumps(message)), context)
    assert first == second
    if first is not None and second is not None:
        assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
        assert Grade.from_dict(json.loads(json.dumps(first.to_dict()))) == first


@settings(max_examples=25)
@given(st.text(min_size=1, max_size=60), st.sampled_from(["email", "linkedin", "call"]))
def test_huge_bodies_grade_up_to_the_limit_and_are_refused_beyond(chunk: str, channel: str) -> None:
    body = (chunk * (MAX_TEXT_CHARS // len(chunk) + 1))[:MAX_TEXT_CHARS]
    g = grade_or_refuse("outreach", {"channel": channel, "subject": chunk, "body": body}, DENTAL)
    if g is not None:
        assert_well_formed(g)
    with pytest.raises(SubmissionError) as info:
        grade("outreach", {"channel": channel, "body": body + "x"}, DENTAL)
    assert info.value.location == "submission.body"


@given(
    message_text,
    st.sampled_from(OPT_OUTS),
    st.sampled_from(["email", "linkedin", "call"]),
    contexts,
)
def test_adding_an_opt_out_line_never_lowers_compliance(
    body: str, line: str, channel: str, context: dict[str, Any]
) -> None:
    before = grade_or_refuse("outreach", {"channel": channel, "body": body}, context)
    after = grade_or_refuse("outreach", {"channel": channel, "body": f"{body}\n\n{line}"}, context)
    assert after is not None
    judged = {c.id: c.points for c in after.checks}
    if before is not None and "compliance" in judged:
        was = {c.id: c.points for c in before.checks}.get("compliance")
        assert was is None or judged["compliance"] >= was


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.sampled_from(sorted(KINDS)), json_values, json_values)
def test_any_json_grades_or_is_refused_cleanly(kind: str, submission: Any, context: Any) -> None:
    g = grade_or_refuse(kind, submission, context)
    if g is not None:
        assert_well_formed(g)


GOLDEN_CASES = [
    load_golden(n)
    for n in [
        "sequence-real-estate-strong",
        "prospect-list-saas-mixed",
        "qualification-insurance-strong",
        "report-salons-sloppy",
        "quiz-funnel-partial",
    ]
]


@given(st.sampled_from(GOLDEN_CASES), st.data())
def test_mutating_one_field_of_a_real_submission_never_crashes(
    case: dict[str, Any], data: st.DataObject
) -> None:
    """Replace one value anywhere in a real submission with arbitrary JSON."""
    submission = json.loads(json.dumps(case["submission"]))
    node: Any = submission
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if isinstance(child, dict | list) and child and data.draw(st.booleans()):
            node = child
            continue
        node[key] = data.draw(json_values)
        break
    g = grade_or_refuse(case["kind"], submission, case["context"])
    if g is not None:
        assert_well_formed(g)
        assert_spans_exact(g, submission)
