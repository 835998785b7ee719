"""Every table model, imported in one place so Alembic and tests see the whole schema."""

from sqlmodel import SQLModel

from simulator.accounts.models import ApiToken, LoginAttempt, User
from simulator.cohorts.models import Cohort, CounselorAssignment, Invite, Membership
from simulator.counsel.models import Comment, GradeOverride, RegradeRequest, RescoreJob
from simulator.progress.models import LearnerProfile, LessonCompletion, QuizAttempt
from simulator.sandbox.models import ActionReceipt, MessageTemplate, Run, RunEvent
from simulator.submissions.models import GradeRecord, Submission

metadata = SQLModel.metadata

__all__ = [
    "ActionReceipt",
    "Comment",
    "GradeOverride",
    "GradeRecord",
    "MessageTemplate",
    "RegradeRequest",
    "RescoreJob",
    "Run",
    "RunEvent",
    "Submission",
    "ApiToken",
    "Cohort",
    "CounselorAssignment",
    "Invite",
    "LearnerProfile",
    "LessonCompletion",
    "LoginAttempt",
    "Membership",
    "QuizAttempt",
    "User",
    "metadata",
]
