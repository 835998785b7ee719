"""Outreach: one cold email, LinkedIn connection note or call opener to one prospect.

Public API: ``grade_submission`` (used by ``grader.grade("outreach", ...)``), ``analyse``
(cheap signals for the simulator), and the rubric constants. The rubric's checks and
points are declared in :mod:`grader.outreach.rubric`.
"""

from grader.outreach.grading import MessageSignals, analyse, grade_message, grade_submission
from grader.outreach.inputs import (
    Message,
    OutreachContext,
    Prospect,
    Sender,
    read_context,
    read_message,
)
from grader.outreach.rubric import CHANNELS, CHECKS, RUBRIC_ID, RUBRIC_VERSION

__all__ = [
    "CHANNELS",
    "CHECKS",
    "RUBRIC_ID",
    "RUBRIC_VERSION",
    "Message",
    "MessageSignals",
    "OutreachContext",
    "Prospect",
    "Sender",
    "analyse",
    "grade_message",
    "grade_submission",
    "read_context",
    "read_message",
]
