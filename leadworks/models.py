"""Every table model, imported in one place so Alembic and tests see the whole schema."""

from sqlmodel import SQLModel

from leadworks.accounts.models import ApiToken, LoginAttempt, User
from leadworks.cohorts.models import Cohort, CounselorAssignment, Invite, Membership
from leadworks.counsel.models import RescoreJob
from leadworks.feedback.models import Comment, GradeOverride, RegradeRequest
from leadworks.practice.models import ActionReceipt, MessageTemplate, Run, RunEvent
from leadworks.progress.models import LearnerProfile, LessonCompletion, QuizAttempt
from leadworks.submissions.models import GradeRecord, Submission

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
