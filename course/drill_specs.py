"""Drill definitions: the typed shape of ``course/drills/<id>.yaml``.

A drill is practice without a simulated market: fixed materials (a table of items, some
documents), the same fields for every item, a few free texts, and a hidden ``key`` the
grader kind named by ``grader`` reads. docs/drills.md describes the format and how to add
one; the contract with the grader kinds is "the whole parsed YAML, key included, as the
context ``{"drill": ...}``" (``DrillSpec.grading_context``).

Like ``course.exercise_specs``, every error names the file and the field, e.g.
``course/drills/compliance-triage-list.yaml: fields[0].options: ...``. The grader kind is
checked against the kinds the caller passes (the platform passes ``grader.registry.KINDS``;
``course`` imports nothing of the grader). ``DrillSpec.public()`` is everything but the key:
the only part a learner's page or the JSON API may show before a hand-in.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from course.exercise_specs import ExerciseSpecError, _field_path, _read_yaml

DRILLS_DIR = Path(__file__).resolve().parent / "drills"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")]
Scalar = str | int | float | bool | None
FIELD_TYPES = ("choice", "text", "number", "time")


class DrillSpecError(ExerciseSpecError):
    """A drill file is unreadable or invalid; names the file and the field."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Spec):
    """One column of the items table: an item field and its heading."""

    name: Name
    label: Text


class Document(_Spec):
    """A longer text shown with the table (a transcript, a campaign, DNS records)."""

    id: Slug
    title: Text
    text: Text


class Materials(_Spec):
    intro: str = ""
    columns: tuple[Column, ...] = Field(min_length=1)
    items: tuple[dict[str, Scalar], ...] = Field(min_length=1, max_length=200)
    documents: tuple[Document, ...] = ()

    @model_validator(mode="after")
    def _ids(self) -> Materials:
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            item_id = item.get("id")
            if not isinstance(item_id, str) or not item_id.strip():
                raise ValueError(f"items[{index}] has no `id`")
            if item_id in seen:
                raise ValueError(f"items[{index}]: id {item_id!r} is used twice")
            seen.add(item_id)
        documents = [d.id for d in self.documents]
        if len(set(documents)) != len(documents):
            raise ValueError("documents: an id is used twice")
        columns = [c.name for c in self.columns]
        if len(set(columns)) != len(columns):
            raise ValueError("columns: a name is used twice")
        return self


class FieldSpec(_Spec):
    """What the learner enters for every item: one input per field per row."""

    name: Name
    label: Text
    type: Literal["choice", "text", "number", "time"]
    options: tuple[Text, ...] = ()
    max_length: int = Field(default=500, ge=1, le=5000)

    @model_validator(mode="after")
    def _options(self) -> FieldSpec:
        if self.type == "choice" and not self.options:
            raise ValueError("a choice field needs `options`")
        if self.type != "choice" and self.options:
            raise ValueError("`options` are only for a choice field")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options: an option is listed twice")
        return self


class TextSpec(_Spec):
    """A free-text answer for the drill as a whole."""

    name: Name
    label: Text
    max_length: int = Field(default=2000, ge=1, le=20_000)
    required: bool = False


class DrillSpec(_Spec):
    """One drill. Its id is its file name without ``.yaml``."""

    id: Slug
    title: Text
    summary: Text
    kind: Literal["drill"]
    grader: Name
    lessons: tuple[Slug, ...] = ()
    minutes: int = Field(ge=1, le=240)
    brief: Text
    materials: Materials
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    texts: tuple[TextSpec, ...] = ()
    key: dict[str, Any]

    @model_validator(mode="after")
    def _names(self) -> DrillSpec:
        for part in ("fields", "texts"):
            names = [f.name for f in getattr(self, part)]
            if len(set(names)) != len(names):
                raise ValueError(f"{part}: a name is used twice")
        return self

    def public(self) -> dict[str, Any]:
        """Everything a learner may see before handing in: the whole drill but its key."""
        return self.model_dump(mode="json", exclude={"key"})

    def grading_context(self) -> dict[str, Any]:
        """The grader's context: the whole drill, key included, as plain data."""
        return {"drill": self.model_dump(mode="json")}

    def item_ids(self) -> tuple[str, ...]:
        return tuple(str(item["id"]) for item in self.materials.items)


def parse_drill(path: Path, kinds: Collection[str] | None = None) -> DrillSpec:
    """Validate one drill file; ``kinds``, when given, are the grader kinds that exist."""
    try:
        data = _read_yaml(path)
    except ExerciseSpecError as exc:
        raise DrillSpecError(path, exc.field, exc.message) from None
    if not isinstance(data, dict):
        raise DrillSpecError(path, "", "the file must hold a mapping of fields")
    data.setdefault("id", path.stem)
    if data["id"] != path.stem:
        raise DrillSpecError(path, "id", f"{data['id']!r} differs from the file name")
    try:
        spec = DrillSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise DrillSpecError(path, _field_path(tuple(first["loc"])), first["msg"]) from exc
    if kinds is not None and spec.grader not in kinds:
        known = ", ".join(sorted(kinds))
        raise DrillSpecError(
            path, "grader", f"unknown grader kind {spec.grader!r} (known: {known})"
        )
    return spec


def load_drills(
    directory: Path | None = None, kinds: Collection[str] | None = None
) -> dict[str, DrillSpec]:
    """Every ``*.yaml`` in the folder (default: course/drills), validated, by id."""
    folder = Path(directory) if directory is not None else DRILLS_DIR
    return {path.stem: parse_drill(path, kinds) for path in sorted(folder.glob("*.yaml"))}
