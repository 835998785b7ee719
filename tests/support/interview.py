"""Scripted candidates for the mock interview: strong, borderline and weak.

A candidate answers the question the hiring manager is asking (and, when asked to be
more specific, gives their second answer), then plays the mock cold call with a small
policy that reads the call's state: answer a pending objection, else ask the next
question, else close. The same script on the same seed gives the same interview.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.sandbox import Sandbox


@dataclass(frozen=True)
class Candidate:
    answers: dict[str, tuple[str, str]]  # question -> (first answer, answer to a follow-up)
    opener: str
    objection: str
    questions: tuple[str, ...]
    close: str


STRONG = Candidate(
    answers={
        "why_sales": (
            "Two years ago I worked the front desk of a busy gym, and I signed up 30 new"
            " members a month by asking what each visitor wanted to change. I enjoyed that"
            " conversation most, so I trained for SDR work and booked 3 meetings in my practice"
            " campaigns.",
            "In my practice campaigns I booked 3 meetings from cold calls and emails.",
        ),
        "setback": (
            "In my first practice campaign my cold emails got a 2% reply rate and no meetings."
            " I rewrote every opener around the practice's own recall gap and tested two"
            " subject lines. The reply rate rose to 6% and I booked 3 meetings.",
            "The reply rate went from 2% to 6% after I rewrote the openers.",
        ),
        "organise_day": (
            "I block 8 to 10 for calls, when owners pick up, then I research 20 accounts and I"
            " send follow-ups after lunch. Every Friday I review my numbers, and last month that"
            " review helped me reach my goal a week early.",
            "I block the first two hours for calls and research 20 accounts after.",
        ),
        "missing_target": (
            "In my capstone campaign I was at 1 meeting of a goal of 3 by day 15. I called the"
            " 12 prospects who had opened my emails first and asked for a short meeting. I"
            " booked 2 more and finished on 3.",
            "I called the 12 warmest prospects first and booked 2 more meetings.",
        ),
    },
    opener=(
        "Hi {first}, this is Priya Natarajan from ChairFill. I'm calling because practices"
        " like yours tell us lapsed patients leave gaps in the hygiene diary. Is now a bad time?"
    ),
    objection="I hear you. What do you do today when patients stop booking their check-ups?",
    questions=(
        "How are you handling recalls for lapsed patients today?",
        "How much have you set aside for patient reactivation this year?",
        "Who else would be involved in deciding on something like this?",
        "When would you want to have something like this in place?",
    ),
    close="Could we meet on Thursday at 10am for 20 minutes to look at your recall gaps?",
)

BORDERLINE = Candidate(
    answers={
        "why_sales": (
            "I like talking to people and I want a career with a clear path.",
            "I have always been good with customers and I think sales suits me.",
        ),
        "setback": (
            "Last year my first email campaign got almost no replies. I changed the subject"
            " lines and sent a second round, and the replies doubled.",
            "I changed the emails and it got better.",
        ),
        "organise_day": (
            "I try to be organised and focused.",
            "I plan my calls in the morning and do 30 calls before lunch.",
        ),
        "missing_target": (
            "I would work harder and make more calls.",
            "I would make extra calls at the end of the day until I catch up.",
        ),
    },
    opener=(
        "Hi, this is Priya from ChairFill. I'm calling because practices lose patients who"
        " stop booking check-ups."
    ),
    objection="That makes sense. How do you fill gaps in the diary today?",
    questions=("Do you have a budget for this?", "Are you the one who decides?"),
    close="Can we book a meeting next week?",
)

WEAK = Candidate(
    answers={
        "why_sales": ("Money.", "I want to earn money."),
        "setback": ("I don't really get rejected.", "Nothing comes to mind."),
        "organise_day": ("I just see what comes in.", "It depends."),
        "missing_target": ("I don't miss targets.", "I'd be fine."),
    },
    opener="We sell the best recall service in the country and you should buy it.",
    objection="No, you're wrong, it is the best and you need it.",
    questions=(),
    close="Just buy it.",
)


def play(sandbox: Sandbox, contact_id: str, candidate: Candidate, max_turns: int = 16) -> None:
    """Start the interview with ``contact_id``, answer, play the mock call, hang up."""
    sandbox.start_conversation(contact_id)
    contact = sandbox.world.contact(contact_id)
    assert contact is not None
    asked: list[str] = []
    for _ in range(12):
        call = sandbox.state.call
        if call is None or call.phase != "interview" or call.interview is None:
            break
        iv = call.interview
        question = iv["questions"][iv["asked"]]
        first, again = candidate.answers[question]
        sandbox.say(again if question in asked else first)
        asked.append(question)
    questions = list(candidate.questions)
    opened = False
    for _ in range(max_turns):
        call = sandbox.state.call
        if call is None:
            return
        if not opened:
            text = candidate.opener.format(first=contact.first_name)
            opened = True
        elif call.pending is not None:
            text = candidate.objection
        elif questions:
            text = questions.pop(0)
        elif call.meeting:
            break
        else:
            text = candidate.close
        if sandbox.say(text)["ended"]:
            return
    if sandbox.state.call is not None:
        sandbox.end_conversation()
