"""Industry packs, places and name lists, read once from simulator/data/.

Why data files: authors can extend a pack (titles, pains, facts) without touching code,
and pinning the lists in the repository (rather than a library such as Faker) keeps a seed's
world identical across machines and releases.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from course import vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
#: Industry keys, one pack file each (labels and order: ``course.vocabulary.INDUSTRIES``).
INDUSTRIES: tuple[str, ...] = tuple(vocabulary.INDUSTRIES)
SENIORITIES: tuple[str, ...] = tuple(vocabulary.SENIORITIES)


@dataclass(frozen=True, slots=True)
class Title:
    title: str
    seniority: str
    decision_maker: bool
    weight: float


@dataclass(frozen=True, slots=True)
class SizeBand:
    band: str
    min: int
    max: int
    weight: float


@dataclass(frozen=True, slots=True)
class Fact:
    tag: str
    text: str


@dataclass(frozen=True, slots=True)
class CostPerLead:
    usd: float
    source: str


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    noun: str
    staff_role: str
    names: tuple[str, ...]
    titles: tuple[Title, ...]
    tools: tuple[str, ...]
    pains: tuple[str, ...]
    lists: dict[str, tuple[str, ...]]  # services, audiences, topics, rounds, animals...


@dataclass(frozen=True, slots=True)
class IndustryPack:
    key: str
    label: str
    cost_per_lead: dict[str, CostPerLead]
    cost_per_lead_is_assumption: bool
    reply_factor: float
    reply_factor_source: str
    revenue_per_employee_usd: int
    size_bands: tuple[SizeBand, ...]
    adjectives: tuple[str, ...]
    facts: tuple[Fact, ...]
    segments: dict[str, Segment]


@dataclass(frozen=True, slots=True)
class City:
    city: str
    area: str
    region: str
    country: str
    timezone: str
    phone: str


_SEGMENT_FIELDS = {"noun", "staff_role", "names", "titles", "tools", "pains"}


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _segment(key: str, raw: dict[str, Any]) -> Segment:
    titles = tuple(
        Title(t["title"], t["seniority"], bool(t["decision_maker"]), float(t["weight"]))
        for t in raw["titles"]
    )
    for t in titles:
        if t.seniority not in SENIORITIES:
            raise ValueError(f"segment {key}: unknown seniority {t.seniority!r}")
    lists = {k: tuple(str(x) for x in v) for k, v in raw.items() if k not in _SEGMENT_FIELDS}
    return Segment(
        key=key,
        noun=raw["noun"],
        staff_role=raw["staff_role"],
        names=tuple(raw["names"]),
        titles=titles,
        tools=tuple(raw["tools"]),
        pains=tuple(raw["pains"]),
        lists=lists,
    )


@cache
def industry_pack(key: str) -> IndustryPack:
    """The pack for one industry key (see INDUSTRIES)."""
    if key not in INDUSTRIES:
        raise ValueError(f"unknown industry {key!r}; known: {', '.join(INDUSTRIES)}")
    raw = _read(DATA_DIR / "industries" / f"{key}.yaml")
    cpl_raw = dict(raw["cost_per_lead"])
    assumption = bool(cpl_raw.pop("assumption", False))
    return IndustryPack(
        key=raw["key"],
        label=raw["label"],
        cost_per_lead={
            ch: CostPerLead(float(v["usd"]), str(v["source"])) for ch, v in cpl_raw.items()
        },
        cost_per_lead_is_assumption=assumption,
        reply_factor=float(raw["reply_factor"]["value"]),
        reply_factor_source=str(raw["reply_factor"]["source"]),
        revenue_per_employee_usd=int(raw["revenue_per_employee_usd"]),
        size_bands=tuple(
            SizeBand(b["band"], int(b["min"]), int(b["max"]), float(b["weight"]))
            for b in raw["size_bands"]
        ),
        adjectives=tuple(raw["words"]["adjective"]),
        facts=tuple(Fact(f["tag"], f["text"]) for f in raw["facts"]),
        segments={k: _segment(k, v) for k, v in raw["segments"].items()},
    )


@lru_cache(maxsize=1)
def names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(first names, last names)."""
    raw = _read(DATA_DIR / "names.yaml")
    return tuple(raw["first_names"]), tuple(raw["last_names"])


@lru_cache(maxsize=1)
def cities_by_region() -> dict[str, tuple[City, ...]]:
    raw = _read(DATA_DIR / "places.yaml")
    out: dict[str, tuple[City, ...]] = {}
    for region, block in raw["regions"].items():
        out[region] = tuple(
            City(c["city"], c["area"], region, block["country"], c["tz"], c["phone"])
            for c in block["cities"]
        )
    return out


@lru_cache(maxsize=1)
def reply_texts() -> dict[str, Any]:
    """The texts of data/replies.yaml (replies, call notes, inbound notes, meetings)."""
    data: dict[str, Any] = _read(DATA_DIR / "replies.yaml")
    return data


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    covers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionCatalogue:
    max_per_call: int
    questions: dict[str, Question]
    answers: dict[str, dict[str, str]]


@lru_cache(maxsize=1)
def question_catalogue() -> QuestionCatalogue:
    """Discovery-call questions (data/questions.yaml) and the answer texts per criterion."""
    raw = _read(DATA_DIR / "questions.yaml")
    questions = {
        q["id"]: Question(q["id"], q["text"], tuple(q["covers"])) for q in raw["questions"]
    }
    return QuestionCatalogue(int(raw["max_questions_per_call"]), questions, raw["answers"])
