"""The ICP drill's key and interview, read once and checked (spec errors name ``drill...``).

Why a module of its own: the key is richer than a row-by-row answer sheet (term groups,
ruled-out segments, size ranges, interview lines), and every entry must point at a line of
the interview that really exists, because that line is what the learner is shown as the
evidence behind each point. A key that cites a missing line is a broken drill, refused here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from grader.drill_input import Drill, weigh
from grader.fields import CONTEXT

_LINE_RE = re.compile(r"^\[(\d+)\]\s*(.+)$", re.DOTALL)
#: The rows a profile has, and the check each one feeds (the check has the row's name).
TERM_ROWS = ("industry", "region", "buyer", "pains", "triggers", "disqualifiers")
SIZE_ROW = "size"
UNITS = ("staff", "vans")


@dataclass(frozen=True)
class Group:
    """Something the profile should name (or must not): any one of ``terms`` matches."""

    name: str
    terms: tuple[str, ...]
    line: int
    why: str
    weight: float = 1.0
    penalty: float = 0.5


@dataclass(frozen=True)
class TermKey:
    """A row (or the free text) graded by the groups it names and the ones it should not."""

    groups: tuple[Group, ...]
    ruled_out: tuple[Group, ...]
    need: float

    @property
    def total(self) -> float:
        return sum(g.weight for g in self.groups)


@dataclass(frozen=True)
class SizeRange:
    unit: str
    low: float
    high: float
    line: int


@dataclass(frozen=True)
class Floor:
    unit: str
    below: float
    line: int
    why: str


@dataclass(frozen=True)
class IcpKey:
    interview: Mapping[int, str]
    rows: Mapping[str, TermKey]
    sizes: tuple[SizeRange, ...]
    floor: Floor | None
    why: TermKey

    def quote(self, line: int, limit: int = 170) -> str:
        """Line ``line`` of the interview, shortened for a note."""
        said = " ".join(self.interview[line].split())
        return said if len(said) <= limit else said[: limit - 1].rstrip() + "…"

    def cite(self, line: int) -> str:
        return f'interview line {line}: "{self.quote(line)}"'


def read_key(drill: Drill, context: Mapping[str, object]) -> IcpKey:
    interview = _interview(drill, context)
    rows = CONTEXT.mapping(drill.key.get("rows"), "drill.key.rows")
    missing = [r for r in (*TERM_ROWS, SIZE_ROW) if r not in drill.items or r not in rows]
    if missing:
        raise CONTEXT.fail("drill.key.rows", f"a profile needs the row {missing[0]!r}")
    terms = {row: _term_key(rows[row], f"drill.key.rows.{row}", interview) for row in TERM_ROWS}
    size = CONTEXT.mapping(rows[SIZE_ROW], "drill.key.rows.size")
    sizes = tuple(
        _size(raw, f"drill.key.rows.size.ranges[{i}]", interview)
        for i, raw in enumerate(CONTEXT.sequence(size.get("ranges"), "drill.key.rows.size.ranges"))
    )
    if not sizes:
        raise CONTEXT.fail("drill.key.rows.size.ranges", "needs at least one range")
    floor = None
    if size.get("floor") is not None:
        f = CONTEXT.mapping(size.get("floor"), "drill.key.rows.size.floor")
        floor = Floor(
            CONTEXT.choice(f.get("unit"), "drill.key.rows.size.floor.unit", UNITS),
            CONTEXT.number(f.get("below"), "drill.key.rows.size.floor.below"),
            _line(f.get("line"), "drill.key.rows.size.floor.line", interview),
            _why(f.get("why"), "drill.key.rows.size.floor.why"),
        )
    why = _term_key(drill.key.get("why"), "drill.key.why", interview)
    return IcpKey(interview, terms, sizes, floor, why)


def _interview(drill: Drill, context: Mapping[str, object]) -> dict[int, str]:
    """Line number -> what was said, from the document the key names (``[n] Speaker: ...``)."""
    doc_id = CONTEXT.text(drill.key.get("document"), "drill.key.document", blank=False)
    spec = CONTEXT.mapping(context.get("drill"), "drill")
    materials = CONTEXT.mapping(spec.get("materials"), "drill.materials")
    docs = CONTEXT.sequence(materials.get("documents") or [], "drill.materials.documents")
    for i, raw in enumerate(docs):
        doc = CONTEXT.mapping(raw, f"drill.materials.documents[{i}]")
        if doc.get("id") != doc_id:
            continue
        body = CONTEXT.text(doc.get("text"), f"drill.materials.documents[{i}].text")
        lines = {}
        for para in re.split(r"\n\s*\n", body):
            m = _LINE_RE.match(para.strip())
            if m:
                lines[int(m.group(1))] = m.group(2)
        if not lines:
            raise CONTEXT.fail(f"drill.materials.documents[{i}].text", "no numbered lines")
        return lines
    raise CONTEXT.fail("drill.key.document", f"no document {doc_id!r} in the materials")


def _line(value: object, where: str, interview: Mapping[int, str]) -> int:
    line = CONTEXT.integer(value, where, minimum=1)
    if line not in interview:
        raise CONTEXT.fail(where, f"the interview has no line {line}")
    return line


def _why(value: object, where: str) -> str:
    return " ".join(CONTEXT.text(value, where, blank=False).split())


def _group(raw: object, where: str, interview: Mapping[int, str]) -> Group:
    g = CONTEXT.mapping(raw, where)
    terms = CONTEXT.text_list(g.get("terms"), f"{where}.terms")
    if not terms:
        raise CONTEXT.fail(f"{where}.terms", "must list at least one term")
    return Group(
        CONTEXT.text(g.get("name"), f"{where}.name", blank=False),
        terms,
        _line(g.get("line"), f"{where}.line", interview),
        _why(g.get("why"), f"{where}.why"),
        weigh(g.get("weight", 1), f"{where}.weight"),
        weigh(g.get("penalty", 0.5), f"{where}.penalty"),
    )


def _term_key(raw: object, where: str, interview: Mapping[int, str]) -> TermKey:
    k = CONTEXT.mapping(raw, where)
    groups = tuple(
        _group(g, f"{where}.groups[{i}]", interview)
        for i, g in enumerate(CONTEXT.sequence(k.get("groups"), f"{where}.groups"))
    )
    if not groups:
        raise CONTEXT.fail(f"{where}.groups", "needs at least one group")
    ruled = tuple(
        _group(g, f"{where}.ruled_out[{i}]", interview)
        for i, g in enumerate(CONTEXT.sequence(k.get("ruled_out") or [], f"{where}.ruled_out"))
    )
    total = sum(g.weight for g in groups)
    need = CONTEXT.optional_number(k.get("need"), f"{where}.need") or total
    if need > total:
        raise CONTEXT.fail(f"{where}.need", f"more than the groups' weight ({total:g})")
    return TermKey(groups, ruled, need)


def _size(raw: object, where: str, interview: Mapping[int, str]) -> SizeRange:
    r = CONTEXT.mapping(raw, where)
    low = CONTEXT.number(r.get("from"), f"{where}.from")
    high = CONTEXT.number(r.get("to"), f"{where}.to")
    if not 0 < low < high:
        raise CONTEXT.fail(where, "needs 0 < from < to")
    unit = CONTEXT.choice(r.get("unit"), f"{where}.unit", UNITS)
    return SizeRange(unit, low, high, _line(r.get("line"), f"{where}.line", interview))
