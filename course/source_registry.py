"""``docs/sources.md`` read as data: the figures and legal rules the course may state.

Why a Markdown file and not YAML: it is the page a reader (or a reviewer) opens to see where
a number comes from and when it was checked, so it stays readable; its two tables have fixed
columns that this module parses. The check in ``course.claims`` compares every lesson with it.

Tables (pipes inside a cell are not allowed):

``## Figures``:  | ID | Figure | Claim | Source | Cited as | Checked | Lessons |
``## Legal rules``: | ID | Law | Keys | Rule | Figures | Source | Checked | Lessons |

*Figure* and *Figures* list the figures exactly as lessons write them, separated by ``;``
(``3.43%; 10.7%``); they are compared after ``normalise_token``. *Cited as* lists the names
lessons use for the source (``Belkins; Bridge Group``). *Lessons* lists lesson ids, module
landing pages as ``index:<folder>``, ``index:home``, ``glossary``, practice as ``drill:<id>``
or ``exercise:<id>`` (``course.sources_check.documents`` names every text), or ``all``.
*Keys* are phrases, one of which a lesson's statement of the rule must contain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from course.problems import COURSE_ROOT

SOURCES_FILE = COURSE_ROOT.parent / "docs" / "sources.md"
_LINK_RE = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?\s*\)")
_SPACE_RE = re.compile(r"\s+")

FIGURE_COLUMNS = ("ID", "Figure", "Claim", "Source", "Cited as", "Checked", "Lessons")
RULE_COLUMNS = ("ID", "Law", "Keys", "Rule", "Figures", "Source", "Checked", "Lessons")


def normalise_token(token: str) -> str:
    """One spelling per figure: "8 a.m." -> "8am", "£17.5m" -> "£17.5 million", "44 %" -> "44%",
    "21:30" -> "9:30pm" (a drill's 24-hour "08:00" is the lesson's "8am")."""
    text = _twelve_hour(token.strip()).casefold()
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    text = text.replace("a.m.", "am").replace("p.m.", "pm").replace("per cent", "%")
    text = re.sub(r"(\d)\s+(%|am\b|pm\b)", r"\1\2", text)
    text = re.sub(r"(\d):00(am|pm)\b", r"\1\2", text)
    text = re.sub(r"(\d)\s*m\b", r"\1 million", text)
    text = re.sub(r"(\d)\s*bn\b", r"\1 billion", text)
    text = re.sub(r"\b(gbp|usd|cad|eur)\s*(\d)", lambda m: _CURRENCY[m.group(1)] + m.group(2), text)
    text = re.sub(r"([$£€])\s+(\d)", r"\1\2", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return _SPACE_RE.sub(" ", text).strip(" .,;:")


def _twelve_hour(token: str) -> str:
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", token)
    if match is None:
        return token
    hour, minute = int(match.group(1)), match.group(2)
    clock = str(hour % 12 or 12) + ("" if minute == "00" else f":{minute}")
    return clock + ("am" if hour < 12 else "pm")


_CURRENCY = {"gbp": "£", "usd": "$", "cad": "ca$", "eur": "€"}


@dataclass(frozen=True)
class Row:
    """One row of either table; ``figures`` are normalised, ``lessons`` as written."""

    id: str
    kind: str  # "figure" or "rule"
    figures: frozenset[str]
    source: str
    urls: tuple[str, ...]
    checked: str
    lessons: frozenset[str]
    cited_as: tuple[str, ...] = ()
    laws: frozenset[str] = frozenset()
    keys: tuple[str, ...] = ()
    line: int = 0

    def covers(self, doc_id: str) -> bool:
        return "all" in self.lessons or doc_id in self.lessons

    def checked_date(self) -> date | None:
        try:
            return date.fromisoformat(self.checked)
        except ValueError:
            return None


@dataclass(frozen=True)
class Registry:
    rows: tuple[Row, ...]
    problems: tuple[str, ...] = ()

    def tokens_for(self, doc_id: str) -> frozenset[str]:
        return frozenset(t for row in self.rows if row.covers(doc_id) for t in row.figures)

    def rules_for(self, law: str) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.kind == "rule" and law in row.laws)

    def urls(self) -> frozenset[str]:
        return frozenset(url for row in self.rows for url in row.urls)

    def publishers(self) -> tuple[str, ...]:
        names = {name for row in self.rows for name in row.cited_as}
        return tuple(sorted(names, key=len, reverse=True))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip() and part.strip() != "-"]


def load_registry(path: Path = SOURCES_FILE) -> Registry:
    """Parse the two tables; malformed rows are reported in ``problems``, not raised."""
    rows: list[Row] = []
    problems: list[str] = []
    columns: tuple[str, ...] | None = None
    kind = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## "):
            title = line[3:].strip().casefold()
            kind = "figure" if title == "figures" else "rule" if title == "legal rules" else ""
            columns = None
            continue
        if not kind or not line.startswith("|"):
            continue
        cells = _cells(line)
        if columns is None:
            expected = FIGURE_COLUMNS if kind == "figure" else RULE_COLUMNS
            if tuple(cells) != expected:
                problems.append(f"line {number}: the header must be | {' | '.join(expected)} |")
            columns = expected
            continue
        if set("".join(cells)) <= set("-: "):
            continue  # the separator row
        if len(cells) != len(columns):
            problems.append(f"line {number}: {len(cells)} cells, expected {len(columns)}")
            continue
        rows.append(_row(dict(zip(columns, cells, strict=True)), kind, number))
    return Registry(tuple(rows), tuple(problems))


def _row(cell: dict[str, str], kind: str, number: int) -> Row:
    figures = cell["Figure"] if kind == "figure" else cell["Figures"]
    return Row(
        id=cell["ID"],
        kind=kind,
        figures=frozenset(normalise_token(t) for t in _split(figures)),
        source=cell["Source"],
        urls=tuple(_LINK_RE.findall(cell["Source"])),
        checked=cell["Checked"],
        lessons=frozenset(_split(cell["Lessons"].replace(",", ";"))),
        cited_as=tuple(_split(cell.get("Cited as", ""))),
        laws=frozenset(_split(cell.get("Law", "").replace(",", ";"))),
        keys=tuple(k.casefold() for k in _split(cell.get("Keys", ""))),
        line=number,
    )
