"""Exercise definitions: the typed shape of ``course/exercises/<id>.yaml``.

Why here and not in the simulator: an exercise is course content (a brief, a client, an
ideal customer profile, what is handed in) that the course pages, the web app and the
simulator must read the same way. This module validates the files; ``simulator``
turns a validated spec into a market and a sandbox. It imports neither ``simulator`` nor
``grader``: only pydantic, yaml and the shared words of ``course.vocabulary``.

Every error names the file and the field, e.g.
``course/exercises/cold-email-dental.yaml: market.contacts_per_company.max: ...``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from course.vocabulary import (
    CHANNELS,
    EXERCISE_KINDS,
    INDUSTRIES,
    INTERVIEW_QUESTIONS,
    OBJECTIONS,
    OUTREACH_CHANNELS,
    PAID_CHANNELS,
    REGIONS,
    SENIORITIES,
)

EXERCISES_DIR = Path(__file__).resolve().parent / "exercises"

#: The qualification frameworks a deliverable may ask for. The grader owns them
#: (``grader.qualification.FRAMEWORKS``); course may not import the grader, so a test
#: keeps this list equal to the grader's.
FRAMEWORK_NAMES: tuple[str, ...] = ("bant", "champ")

if TYPE_CHECKING:  # the type checker sees plain strings; pydantic checks the Literals below
    Industry: TypeAlias = str
    GraderKind: TypeAlias = str
    Channel: TypeAlias = str
    MessageChannel: TypeAlias = str
    PaidChannel: TypeAlias = str
    Seniority: TypeAlias = str
    Framework: TypeAlias = str
    Region: TypeAlias = str
    InterviewQuestion: TypeAlias = str
else:  # each vocabulary is written once, in course/vocabulary.py
    Industry = Literal[tuple(INDUSTRIES)]
    GraderKind = Literal[tuple(EXERCISE_KINDS)]
    Channel = Literal[tuple(CHANNELS)]
    MessageChannel = Literal[OUTREACH_CHANNELS]
    PaidChannel = Literal[PAID_CHANNELS]
    Seniority = Literal[tuple(SENIORITIES)]
    Framework = Literal[FRAMEWORK_NAMES]
    Region = Literal[tuple(REGIONS)]
    InterviewQuestion = Literal[tuple(INTERVIEW_QUESTIONS)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IntRange(_Spec):
    """An inclusive range of whole numbers, e.g. contacts per company or list size."""

    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> IntRange:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class MarketSpec(_Spec):
    """What kind of market the world generates: one industry, some regions, a size."""

    industry: Industry
    segments: tuple[Text, ...] = ()
    n_companies: int = Field(ge=1, le=50_000)
    contacts_per_company: IntRange
    regions: tuple[Region, ...] = Field(min_length=1)
    seed_salt: Text
    start: datetime = datetime(2025, 3, 3, 13, 0, tzinfo=UTC)

    @model_validator(mode="after")
    def _sane(self) -> MarketSpec:
        if self.contacts_per_company.min < 1 or self.contacts_per_company.max > 12:
            raise ValueError("contacts_per_company must lie within 1..12")
        if self.start.tzinfo is None or self.start.utcoffset() != UTC.utcoffset(None):
            raise ValueError("start must be a UTC timestamp ending in Z")
        return self


class ClientSpec(_Spec):
    """The client the learner works for: who signs the messages and what they sell."""

    sender_name: Text
    company: Text
    postal_address: Text
    offer: Text
    deal_value: float = Field(gt=0, description="average first-year value of a won deal, USD")
    brief: Text


class IcpSpec(_Spec):
    """The ideal customer profile. Empty lists mean 'any'."""

    summary: Text
    segments: tuple[Text, ...] = ()
    size_bands: tuple[Text, ...] = ()
    seniority: tuple[Seniority, ...] = ()
    decision_maker: bool | None = None
    regions: tuple[Region, ...] = ()
    signals_any: tuple[Text, ...] = ()


class BudgetSpec(_Spec):
    amount: float = Field(ge=0)
    currency: Literal["USD"] = "USD"


class InterviewSpec(_Spec):
    """A mock interview (kind ``interview``): the hiring manager who asks the questions, in
    order, then plays the prospect the learner called for a mock cold call."""

    manager: Text
    questions: tuple[InterviewQuestion, ...] = Field(min_length=1, max_length=8)

    @field_validator("questions")
    @classmethod
    def _once_each(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("each question is asked once")
        return value


class DeliverableSpec(_Spec):
    """What the learner hands in; the fields that apply depend on the grader kind."""

    description: Text
    list_size: IntRange | None = None
    frameworks: tuple[Framework, ...] = ()
    min_leads: int | None = Field(default=None, ge=1)
    steps: IntRange | None = None
    channel: MessageChannel | None = None
    #: An objection drill (kind ``call``): the objections the buyer raises, one after
    #: another, each answered and graded on its own.
    drill: tuple[str, ...] = ()
    #: A report (kind ``report``) that also states the SDR's results: meetings booked and
    #: held, show rate, meeting-to-opportunity rate and pipeline value (rubric 2.0.0).
    meeting_figures: bool = False
    #: An outreach exercise on LinkedIn that follows a connection note the prospect
    #: accepted: the note (merge fields allowed), which the grader sees as ``thread.note``.
    accepted_note: Text | None = None
    #: A prospect list (kind ``prospect_list``) that also gives a research hook and its
    #: source for this many top contacts (rubric 2.0.0).
    hooks: int | None = Field(default=None, ge=1, le=20)
    #: A mock interview (kind ``interview``): questions first, then a mock cold call.
    interview: InterviewSpec | None = None

    @field_validator("drill")
    @classmethod
    def _known_objections(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [v for v in value if v not in OBJECTIONS]
        if unknown:
            raise ValueError(f"unknown objections {unknown}; known: {', '.join(OBJECTIONS)}")
        return value


class GoalsSpec(_Spec):
    """What the client's brief asks the campaign to achieve; the grade measures it."""

    meetings_held: int | None = Field(default=None, ge=1)
    sqls: int | None = Field(default=None, ge=1)
    cost_per_lead: float | None = Field(default=None, gt=0)


class SetupSpec(_Spec):
    """Things already true when the learner opens the exercise."""

    inbound_leads: int = Field(default=0, ge=0, le=200)


class TargetFilter(_Spec):
    """Which contacts a scripted policy reaches (public fields only)."""

    segments: tuple[Text, ...] = ()
    size_bands: tuple[Text, ...] = ()
    seniority: tuple[Seniority, ...] = ()
    decision_maker: bool | None = None
    regions: tuple[Region, ...] = ()
    max_contacts: int = Field(default=10_000, ge=1)


class PolicyStep(_Spec):
    delay_days: int = Field(ge=0, le=30)
    channel: MessageChannel = "email"
    subject: str | None = None
    body: Text


class PaidSpend(_Spec):
    channel: PaidChannel
    amount: float = Field(gt=0)
    day: int = Field(default=0, ge=0)


class PolicySpec(_Spec):
    """A scripted outreach policy: what `leadworks simulate` and pre-played logs run."""

    name: Text
    description: str = ""
    target: TargetFilter = TargetFilter()
    research: bool = False
    steps: tuple[PolicyStep, ...] = Field(min_length=1, max_length=8)
    send_hour: int = Field(default=10, ge=0, le=23, description="prospect's local hour")
    weekdays_only: bool = True
    daily_volume: int = Field(default=50, ge=1, le=5_000)
    stop_on_reply: bool = True
    paid: tuple[PaidSpend, ...] = ()
    manage_pipeline: bool = True


class ExerciseSpec(_Spec):
    """One sandbox exercise. Its id is its file name without ``.yaml``."""

    id: Slug
    title: Text
    summary: Text
    kind: GraderKind
    industry: Industry
    lessons: tuple[Slug, ...] = ()
    market: MarketSpec
    client: ClientSpec
    icp: IcpSpec
    budget: BudgetSpec = BudgetSpec(amount=0)
    duration_days: int = Field(ge=1, le=90)
    channels: tuple[Channel, ...] = ()
    deliverable: DeliverableSpec
    goals: GoalsSpec | None = None
    setup: SetupSpec = SetupSpec()
    preplayed: PolicySpec | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ExerciseSpec:
        if self.market.industry != self.industry:
            raise ValueError(f"market.industry {self.market.industry!r} != industry")
        outside = set(self.icp.regions) - set(self.market.regions)
        if outside:
            raise ValueError(f"icp.regions {sorted(outside)} are not in market.regions")
        if self.kind == "prospect_list" and self.deliverable.list_size is None:
            raise ValueError("deliverable.list_size is required for a prospect_list exercise")
        if self.kind == "qualification":
            if not self.deliverable.frameworks or self.deliverable.min_leads is None:
                raise ValueError("deliverable.frameworks and deliverable.min_leads are required")
            if self.setup.inbound_leads < self.deliverable.min_leads:
                raise ValueError("setup.inbound_leads must be at least deliverable.min_leads")
        if self.deliverable.drill and self.kind != "call":
            raise ValueError("deliverable.drill is only for a call exercise")
        if (self.kind == "interview") != (self.deliverable.interview is not None):
            raise ValueError("deliverable.interview is required for, and only for, an interview")
        if self.kind == "sequence" and self.deliverable.steps is None:
            raise ValueError("deliverable.steps is required for a sequence exercise")
        if self.kind == "outreach" and self.deliverable.channel is None:
            raise ValueError("deliverable.channel is required for an outreach exercise")
        paid = {p.channel for p in self.preplayed.paid} if self.preplayed else set()
        if self.preplayed and not paid <= set(self.channels):
            raise ValueError(f"preplayed.paid uses channels {sorted(paid)} not in channels")
        return self


class ExerciseSpecError(ValueError):
    """A definition file is unreadable or invalid; names the file and the field."""

    def __init__(self, path: Path, field: str, message: str) -> None:
        self.path = path
        self.field = field
        self.message = message
        where = f"{path}: {field}: " if field else f"{path}: "
        super().__init__(where + message)


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExerciseSpecError(path, "", f"cannot read YAML: {exc}") from exc


def parse_exercise(path: Path) -> ExerciseSpec:
    """Validate one exercise file; the ``id`` defaults to (and must equal) the file stem."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ExerciseSpecError(path, "", "the file must hold a mapping of fields")
    data.setdefault("id", path.stem)
    if data["id"] != path.stem:
        raise ExerciseSpecError(path, "id", f"{data['id']!r} differs from the file name")
    try:
        return ExerciseSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ExerciseSpecError(path, _field_path(tuple(first["loc"])), first["msg"]) from exc


def parse_policy(path: Path) -> PolicySpec:
    """Validate a scripted policy file (see simulator/policies/)."""
    data = _read_yaml(path)
    try:
        return PolicySpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ExerciseSpecError(path, _field_path(tuple(first["loc"])), first["msg"]) from exc


def load_exercises(directory: Path | None = None) -> dict[str, ExerciseSpec]:
    """Every ``*.yaml`` in the folder (default: course/exercises), validated, by id."""
    folder = Path(directory) if directory is not None else EXERCISES_DIR
    return {path.stem: parse_exercise(path) for path in sorted(folder.glob("*.yaml"))}
