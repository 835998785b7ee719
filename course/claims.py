"""Find the figures and legal rules a text states, and check each against docs/sources.md.

Why: every number a learner may repeat to an employer, and every rule they may act on, must
come from a source someone checked. Reading meaning is out of reach, so the check works on
what figures and rules look like, and errs towards asking:

- **Figures** are percentages, money, times of day, ranges with a unit ("50-125 words"),
  counts with thousands separators or "million", rates ("45 calls a day", "1 per 370
  dials"), multipliers ("7 times as likely"), character and word limits, and periods of years
  ("2022-2032"). In a block that states a legal rule, durations ("10 business days"),
  years and section numbers count as well. Links, inline code and calendar dates
  (2025-10-20) are left out: a link's text names a source, and its digits are no figure.
- A **legal rule** is a block (paragraph, list item, table row) that names a law, rule or
  regulator (itself or through its heading) and uses normative words ("must", "may not",
  "exempt", "consent", "within"...).

Where invented numbers are allowed: sample messages (block quotes), code, ``!!! example``
boxes, a ``## Worked example`` and quiz situations, and any sentence that calls its own
numbers invented, illustrative or an assumption. There only *claim sentences* are checked:
sentences that name a registered source (its *Cited as* names) or, outside self-declared
invented sentences, use claim words ("average", "study", "benchmark"...); and a sentence
that names a law is always checked. Each table cell counts as a sentence of its own.

What must hold: every figure found is listed in sources.md for that text; every legal block
matches a registered rule of its law (one of the rule's *Keys* appears in it) and cites a
registered URL in the block or in the paragraph that introduces its list or table (outside
the compliance lessons, a link to a compliance lesson will do).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from course.markdown_scan import scan_lines
from course.source_registry import Registry, normalise_token

# --------------------------------------------------------------------------- vocabulary

LAWS: dict[str, str] = {
    "can-spam": r"CAN-SPAM",
    "tcpa": r"\bTCPA\b|Telephone Consumer Protection Act",
    "tsr": r"\bTSR\b|Telemarketing Sales Rule",
    "us-dnc": r"(?:National )?Do[- ]Not[- ]Call Registry|national registry",
    "fcc": r"\bFCC\b",
    "ftc": r"\bFTC\b",
    "us-state": r"\bFlorida\b|\bFla\. Stat\.|state laws?\b|states? (?:set|add|differ)",
    "pecr": r"\bPECR\b|Privacy and Electronic Communications Regulations",
    "uk-gdpr": r"\bUK GDPR\b|\bEU GDPR\b|\bGDPR\b",
    "duaa": r"Data \(Use and Access\) Act|\bDUAA\b",
    "ico": r"\bICO\b",
    "tps": r"\bC?TPS\b|Telephone Preference Service",
    "casl": r"\bCASL\b|Anti-Spam Legislation",
    "crtc": r"\bCRTC\b|Unsolicited Telecommunications Rules|National DNCL",
    "hipaa": r"\bHIPAA\b",
    "fair-housing": r"Fair Housing Act",
    "fca": r"\bFCA\b|financial promotion",
    "us-finance": r"\bSEC\b|\bFINRA\b",
    "asa": r"\bASA\b|advertising code",
    "gmail": r"\bGmail\b|\bGoogle\b(?= (?:and|&) Yahoo)",
    "yahoo": r"\bYahoo\b",
    "outlook": r"\bOutlook\.com\b|\bMicrosoft\b(?=[^.]*\bsenders?\b)",
    "linkedin-terms": r"LinkedIn's (?:user agreement|terms)",
}
_LAW_RES = {key: re.compile(pattern) for key, pattern in LAWS.items()}
_NORMATIVE_RE = re.compile(
    r"\b(?:must|may not|may only|may be|cannot|need(?:s|ed)?|requires?|required|applies|apply"
    r"|exempt(?:ion|s)?|allow(?:s|ed)?|prohibit\w*|bans?|penalt\w*|fines?\b|up to|consent"
    r"|honou?r\w*|within|liable|responsible|only between|counts? as|treated as)\b",
    re.IGNORECASE,
)
_CLAIM_CUES_RE = re.compile(
    r"\b(?:average[ds]?|benchmarks?|stud(?:y|ies)|survey\w*"
    r"|(?:was|were|is|are) reported(?!\s+as\s+(?:spam|junk))"  # recipients' spam reports
    r"|reported (?:to|that|by)|analy[sz](?:is|ed)|found that|typical(?:ly)?|median"
    r"|according to|industry estimates?|dataset)\b",
    re.IGNORECASE,
)
_ILLUSTRATIVE_RE = re.compile(
    r"\b(?:illustrative|illustration|invented|assumptions?|assumed|our own estimate"
    r"|for practice|hypothetical|made[- ]up|fictional)\b",
    re.IGNORECASE,
)

_N = r"\d[\d,]*(?:\.\d+)?"
_PERIOD = r"(?:day|week|month|year|quarter)"
# (kind, pattern); order matters where two could match the same text.
_STRONG: tuple[tuple[str, str], ...] = (
    ("percent", rf"{_N}(?:\s?[-\u2013]\s?{_N})?\s?(?:%|per cent)"),
    (
        "money",
        rf"(?:[$£€]|\b(?:USD|GBP|CAD|EUR)\s?){_N}(?:\s?(?:million|billion|m|bn|k)\b)?"
        rf"(?:\s?[-\u2013]\s?[$£€]?{_N})?",
    ),
    ("clock", r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)(?![a-z])"),
    ("clock", r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b"),
    ("years", r"\b(?:19|20)\d{2}\s?[-\u2013]\s?(?:19|20)?\d{2}\b"),
    ("range", rf"\b{_N}\s?[-\u2013]\s?{_N}(?=\s+(?!(?:am|pm)\b)[a-z])"),
    ("rate", rf"\b{_N}\+?(?=\s+(?:[a-z]+\s+){{0,2}}(?:a|per|each)\s+{_PERIOD}\b)"),
    ("count", r"\b\d{1,3}(?:,\d{3})+\b"),
    ("count", rf"\b{_N}\s+(?:million|billion)\b"),
    ("per", rf"\b(?:per|in|out of)\s+{_N}(?=\s+(?:dials|emails|calls|leads|requests|people))"),
    ("times", rf"\b{_N}\s+times(?=\s+(?:more|as|less|higher|lower)\b)"),
    ("limit", rf"\b{_N}\s*(?:characters?|words)\b"),
)
_LEGAL_ONLY: tuple[tuple[str, str], ...] = (
    (
        "duration",
        rf"\b{_N}\s+(?:business\s+|working\s+|calendar\s+)?(?:days?|months?|years?|hours?|weeks?)\b",
    ),
    ("year", r"\b(?:19|20)\d{2}\b"),
    ("section", r"(?:§+\s?|\bs\.\s?)\d[\w.()]*"),
    ("section", r"\b\d+\s+(?:CFR|U\.S\.C\.)\s+[\d.]+(?:\([\w]+\))*"),
)
# Kinds that make a benchmark, checked even in invented arithmetic when a source is named.
_BENCHMARK_KINDS = frozenset({"percent", "money", "times", "years"})
# Kinds that state a rule, checked in a worked example when a sentence names the law.
_RULE_KINDS = frozenset({"percent", "money", "clock", "duration", "year", "years", "section"})


def _compile(patterns: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    parts = (f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(patterns))
    return re.compile("|".join(parts), re.IGNORECASE)


_STRONG_RE = _compile(_STRONG)
_LEGAL_RE = _compile(_STRONG + _LEGAL_ONLY)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'*])|\s+\|\s+")  # a table cell ends one too
_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?\s*\)")
_ISO_DATE_RE = re.compile(r"\b(?:19|20)\d{2}-[01]\d-[0-3]\d\b")
_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_COMPLIANCE_LINK_RE = re.compile(r"^07-compliance/[\w-]+\.md")


@dataclass(frozen=True)
class Block:
    """A paragraph, list item or table row, with what the check needs to know about it."""

    line: int
    text: str
    section: tuple[str, ...]
    exempt: bool
    lead_in: tuple[str, ...] = ()  # links in the paragraph that introduces a list or table

    def links(self) -> tuple[str, ...]:
        return tuple(_LINK_RE.findall(self.text)) + self.lead_in

    def laws(self) -> frozenset[str]:
        named = laws_in(self.text)
        return named or laws_in(" ".join(self.section))


@dataclass(frozen=True)
class Finding:
    """Something the lesson states that docs/sources.md does not back."""

    doc: str
    line: int
    kind: str  # "figure", "rule" or "citation"
    detail: str
    excerpt: str = field(compare=False)

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}: {self.kind} {self.detail} in “{self.excerpt}”"


def laws_in(text: str) -> frozenset[str]:
    """The laws, rules and regulators a text names (link texts are citations, not claims)."""
    text = re.sub(r"\[[^\]]*\]\([^)]*\)", " ", text)
    return frozenset(key for key, pattern in _LAW_RES.items() if pattern.search(text))


def blocks(markdown: str) -> list[Block]:
    """Split a Markdown body into checkable blocks (code skipped, quotes marked exempt)."""
    splitter = _BlockSplitter()
    for line in scan_lines(markdown):
        splitter.feed(line.number, line.text, line.section, line.in_code, line.heading is not None)
    splitter.flush()
    return splitter.out


class _BlockSplitter:
    """Groups lines into blocks: a blank line, a heading, a list item or a table row ends one."""

    def __init__(self) -> None:
        self.out: list[Block] = []
        self.current: list[str] = []
        self.start = 0
        self.section: tuple[str, ...] = ()
        self.exempt = False
        self.quote = False
        self.lead_in: tuple[str, ...] = ()
        self.paragraph_links: tuple[str, ...] = ()
        self.example_box = False

    def flush(self) -> None:
        if not self.current:
            return
        text = " ".join(part.strip() for part in self.current)
        self.out.append(Block(self.start, text, self.section, self.exempt, self.lead_in))
        first = self.current[0]
        if not _ITEM_RE.match(first) and not first.lstrip().startswith("|"):
            self.paragraph_links = tuple(_LINK_RE.findall(text))
        self.current = []

    def feed(
        self, number: int, text: str, section: tuple[str, ...], in_code: bool, heading: bool
    ) -> None:
        if in_code or heading or not text.strip():
            self.flush()
            if heading:
                self.paragraph_links, self.example_box = (), False
            return
        if re.match(r"^(?:!!!|\?\?\?\+?)\s", text):
            self.flush()
            self.example_box = bool(re.match(r"^(?:!!!|\?\?\?\+?)\s+example\b", text))
            return
        if self.example_box and not text.startswith((" ", "\t")):
            self.example_box = False
        stripped = text.strip()
        if stripped.startswith("<!--") or set(stripped) <= set("|-: "):
            return
        is_item, is_row = bool(_ITEM_RE.match(text)), stripped.startswith("|")
        quote = stripped.startswith(">")
        if self.current and (is_item or is_row or quote != self.quote):
            self.flush()
        if not self.current:
            self.start, self.section, self.quote = number, section, quote
            self.exempt = quote or self.example_box
            self.lead_in = self.paragraph_links if (is_item or is_row) else ()
        self.current.append(stripped.lstrip("> ") if quote else text)


def sentences(text: str) -> Iterator[str]:
    yield from (s for s in _SENTENCE_RE.split(text) if s.strip())


def figures_in(text: str, *, legal: bool = False) -> list[tuple[str, str]]:
    """(kind, normalised token) for every figure in ``text``, in order, without repeats."""
    found: dict[str, str] = {}
    for match in (_LEGAL_RE if legal else _STRONG_RE).finditer(text):
        group = match.lastgroup or ""
        kind = group.rstrip("0123456789")
        found.setdefault(_token(kind, match.group(0), text[match.end() :]), kind)
    return [(kind, token) for token, kind in found.items()]


def _token(kind: str, raw: str, after: str) -> str:
    token = normalise_token(raw)
    if kind == "rate":
        period = re.search(rf"\b({_PERIOD})\b", after, re.IGNORECASE)
        return f"{token.rstrip('+')}/{period.group(1).casefold() if period else ''}"
    if kind == "limit":
        return re.sub(r"\b(character|word)\b", r"\1s", token)
    return token


def _names_source(sentence: str, publishers: Iterable[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name)}\b", sentence, re.IGNORECASE) for name in publishers)


def check_markdown(
    doc: str,
    markdown: str,
    registry: Registry,
    *,
    compliance_module: bool = False,
    scenario: bool = False,
    require_links: bool = True,
    folder: str = "",
) -> list[Finding]:
    """Every figure and legal rule in one Markdown body that sources.md does not back.

    ``scenario`` treats the whole text like a worked example (quiz situations are invented);
    ``require_links`` is off for plain-text places such as quizzes, which cannot link.
    ``folder`` is the text's folder inside the lessons folder, to resolve relative links.
    """
    findings: list[Finding] = []
    allowed = registry.tokens_for(doc)
    publishers = registry.publishers()
    for block in blocks(markdown):
        worked = scenario or block.section[:1] == ("Worked example",)
        laws = block.laws()
        legal = bool(laws) and bool(_NORMATIVE_RE.search(block.text)) and not block.exempt
        for sentence in sentences(_plain(block.text)):
            checked = _checked_figures(sentence, legal, worked, block.exempt, publishers)
            for _kind, token in checked:
                if token not in allowed:
                    findings.append(
                        Finding(doc, block.line, "figure", f"'{token}'", _excerpt(sentence))
                    )
        if legal:
            findings += _rule_findings(
                doc, block, laws, registry, (compliance_module, require_links, folder)
            )
    return findings


def _checked_figures(
    sentence: str, legal: bool, worked: bool, exempt: bool, publishers: Iterable[str]
) -> list[tuple[str, str]]:
    """The figures of one sentence that must be in sources.md.

    A rule's numbers are never invented, so a sentence stating a rule is checked in full. In
    a worked example or a quiz situation a rule counts only when the sentence itself names
    the law, and then only its legal kinds of figure (times, periods, money, percentages).
    """
    illustrative = bool(_ILLUSTRATIVE_RE.search(sentence))
    if illustrative:
        legal = False
    if legal and not worked:
        return figures_in(sentence, legal=True)
    if legal and laws_in(sentence):
        return [f for f in figures_in(sentence, legal=True) if f[0] in _RULE_KINDS]
    if illustrative:
        # The writer says the numbers are invented; only a named source overrides that.
        claim = _names_source(sentence, publishers)
    elif exempt or worked:
        claim = _names_source(sentence, publishers) or bool(_CLAIM_CUES_RE.search(sentence))
    else:
        return figures_in(sentence)
    return [f for f in figures_in(sentence) if f[0] in _BENCHMARK_KINDS] if claim else []


def _plain(text: str) -> str:
    """Prose without links, inline code and calendar dates: a link names a source, and its
    digits, like a record's date (2025-10-20), say nothing of how much or how many."""
    text = _ISO_DATE_RE.sub("", text)
    text = re.sub(r"\[[^\]]*\]\(<?[^\s)>]*(?:\([^)]*\)[^\s)>]*)*>?\)", "", text)
    return re.sub(r"`[^`]*`", "", text)


def _rule_findings(
    doc: str,
    block: Block,
    laws: frozenset[str],
    registry: Registry,
    options: tuple[bool, bool, str],
) -> list[Finding]:
    compliance_module, require_links, folder = options
    findings = []
    text = block.text.casefold()
    rows = [row for law in laws for row in registry.rules_for(law) if row.covers(doc)]
    if not any(key in text for row in rows for key in row.keys):
        names = ", ".join(sorted(laws))
        findings.append(
            Finding(doc, block.line, "rule", f"({names}) matches no rule", _excerpt(block.text))
        )
    urls = registry.urls()
    lessons = [posixpath.normpath(posixpath.join(folder, x.split("#")[0])) for x in block.links()]
    cited = any(link in urls for link in block.links()) or (
        not compliance_module and any(_COMPLIANCE_LINK_RE.match(x) for x in lessons)
    )
    if require_links and not cited:
        findings.append(
            Finding(
                doc,
                block.line,
                "citation",
                "without a registered source link",
                _excerpt(block.text),
            )
        )
    return findings


def _excerpt(text: str, limit: int = 110) -> str:
    text = re.sub(r"\]\([^)]*\)", "]", " ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"
