"""The grader's compliance checks read the run's violations (issue 13), never the simulator.

An outreach message handed in for a UK sole trader who never consented loses its compliance
marks, with PECR named in the verdict; the same message to a US prospect keeps them. The
capstone's compliance check weighs a company-policy breach half of a broken law.
"""

from __future__ import annotations

from grader import grade
from grader.achievement_campaign import _compliance
from grader.achievement_law import advice, summary, weight
from grader.rubric import CheckSpec
from leadworks.submissions.grading import grading_input_with_work
from simulator import Sandbox, open_exercise
from simulator.signals import Signals

BODY = (
    "Hi {{first_name}}, I saw that {{company}} {{fact}}. Is {{pain}} on your list this"
    " quarter? We help teams like yours fix exactly that.\n\n{{sender_name}}\n"
    "{{sender_address}}\nReply stop to opt out."
)


def _analyser(submission: dict, context: dict) -> Signals:
    body = str(submission.get("body") or "")
    return Signals(
        0.5, 0.5, 0.5, 1.0, 0.8, 1.0, 0.0, 0.5, "stop" in body.lower(), True, False, False
    )


def _graded(pick) -> tuple[Sandbox, object]:
    sb = open_exercise("cold-email-dental", seed=4, analyser=_analyser)
    contact = next(c for c in sb.world.contacts if c.email and not sb.opted_out(c) and pick(sb, c))
    sb.view_profile(contact.id)
    sb.send_message(contact.id, channel="email", subject="Hello", body=BODY)
    sb.submit({"channel": "email", "subject": "Hello", "body": BODY}, contact_id=contact.id)
    graded = grading_input_with_work(sb)
    return sb, grade(graded.kind, graded.submission, graded.context).check("compliance")


def test_a_message_to_an_unincorporated_firm_without_consent_loses_its_compliance_marks() -> None:
    def unconsented_sole_trader(sb: Sandbox, c) -> bool:
        company = sb.world.company_of(c)
        unincorporated = company.legal_form in ("sole_trader", "partnership")
        return c.country == "GB" and unincorporated and c.consent in ("none", "published")

    sb, check = _graded(unconsented_sole_trader)
    assert any(v["kind"] == "email_without_consent" for v in sb.state.violations)
    assert check.points == 0 and "PECR" in check.verdict
    assert "consent" in check.advice


def test_the_same_message_to_a_us_prospect_keeps_them() -> None:
    _, check = _graded(lambda sb, c: c.country == "US")
    assert check.full_marks and "In the run" not in check.verdict


def test_the_capstone_weighs_policy_half_of_law() -> None:
    spec = CheckSpec("compliance", 30, "Outreach without violations.")
    law = {
        "kind": "email_without_consent",
        "basis": "law",
        "source": "CASL s.6(1)",
        "contact_id": "p1",
    }
    policy = {
        "kind": "call_outside_hours",
        "basis": "policy",
        "source": "course policy",
        "contact_id": "p2",
    }
    assert weight([law, policy]) == 1.5
    assert "CASL s.6(1)" in summary([law]) and "company policy" in summary([policy])
    assert "consent" in advice([law]).lower()
    strict = _compliance(spec, {"touches": 20, "violations": [law]})
    lenient = _compliance(spec, {"touches": 20, "violations": [policy]})
    assert strict.points < lenient.points < spec.points
