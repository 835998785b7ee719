"""Every table model, imported in one place so Alembic and tests see the whole schema."""

from sqlmodel import SQLModel

from leadworks.accounts.models import AccountLink, ApiToken, LoginThrottle, User
from leadworks.cohorts.models import Cohort, CounselorAssignment, Invite, Membership
from leadworks.counsel.models import RescoreJob
from leadworks.credentials.models import IssuedCredential, PortfolioShare
from leadworks.drills.models import DrillDraft, DrillReceipt
from leadworks.exams.models import ExamAttempt
from leadworks.feedback.models import Comment, GradeOverride, RegradeRequest
from leadworks.mail.models import MailMessage
from leadworks.practice.drafts import ComposeDraft
from leadworks.practice.models import (
    ActionReceipt,
    MessageTemplate,
    Run,
    RunEvent,
    RunSnapshot,
    SavedSearch,
)
from leadworks.progress.models import LearnerProfile, LessonCompletion, QuizAttempt
from leadworks.submissions.models import GradeRecord, Submission

metadata = SQLModel.metadata

__all__ = [
    "AccountLink",
    "ActionReceipt",
    "Comment",
    "ComposeDraft",
    "DrillDraft",
    "DrillReceipt",
    "ExamAttempt",
    "GradeOverride",
    "GradeRecord",
    "IssuedCredential",
    "MessageTemplate",
    "PortfolioShare",
    "RegradeRequest",
    "RescoreJob",
    "Run",
    "RunEvent",
    "RunSnapshot",
    "SavedSearch",
    "Submission",
    "ApiToken",
    "Cohort",
    "CounselorAssignment",
    "Invite",
    "LearnerProfile",
    "LessonCompletion",
    "LoginThrottle",
    "MailMessage",
    "Membership",
    "QuizAttempt",
    "User",
    "metadata",
]
