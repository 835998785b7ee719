"""ICP rubric: an ideal customer profile written from a client interview (drill kind ``icp``).

Drill ``icp-from-interview`` (lesson ideal-customer-profile). The learner fills one row per
part of the profile (industry, size, region, buyer, pains, triggers, exclusions; field
``answer``) and a short ``why``. The key (grader/icp_key.py) lists, per row, the groups the
interview supports (any one of a group's terms names it) and what the interview rules out,
each with the interview line behind it; the size row has the client's ranges.

Why it is graded this way: the lesson's test of an ICP is that it lets you say *no* to a
company. So a row earns points for each supported group it names and loses points for each
segment the client excluded (unless written as an exclusion: "not couriers"); a size range
is scored by how much it overlaps the client's range; and a row that copies the interview
(ten words in a row) earns nothing, since pasting the notes is not choosing. A generic
profile ("small businesses, owners, they want growth") names nothing the interview supports.
Terms match as whole phrases, or by word stems within one clause (grader.text), so "director
of operations" matches "operations director" and "plumbers" matches "plumbing firms".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader import text
from grader.drill_input import HandIn, parse_number, read_drill, read_hand_in
from grader.icp_key import Group, IcpKey, SizeRange, TermKey, read_key
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text

RUBRIC_ID = "icp"
RUBRIC_VERSION = "1.0.0"
#: Graded from a drill file (course/drills), without a sandbox run or an exercise spec.
DRILL = True

CHECKS = (
    CheckSpec(
        "industry", 15, "The industries the interview's best customers are in, none excluded."
    ),
    CheckSpec("size", 15, "A size range (staff or vans) that overlaps the client's own."),
    CheckSpec("region", 10, "The regions the client can serve, and not the ones it cannot."),
    CheckSpec("buyer", 15, "The role that decides (and the champion), not IT or procurement."),
    CheckSpec("pains", 15, "The pains the client hears on first calls, not the ones it ruled out."),
    CheckSpec("triggers", 10, "The events that make a company buy now, not the false ones."),
    CheckSpec("disqualifiers", 10, "The companies the interview says never buy, as exclusions."),
    CheckSpec("why", 10, "A short reason that points at what the client said."),
)
_SPEC = {s.id: s for s in CHECKS}
ANSWER = "answer"
WHY = "why"
#: A run of this many words shared with the interview is a copy, not a profile.
COPY_WORDS = 12
#: Log-scale overlap with the client's range that earns the whole size check.
FULL_OVERLAP = 0.7
#: An open range ("50+ staff") near the client's lower end earns this share: it cannot say no.
OPEN_RANGE = 0.5
#: Taken off the size check when the range starts below the size the client rules out.
FLOOR_PENALTY = 0.5
_CLAUSE_RE = re.compile(r"[.;,:\n()]+")
_SENTENCE_RE = re.compile(r"[.;\n()]+")
_NEGATION = frozenset(
    "not no never except excluding exclude excludes excluded avoid without nor skip".split()
)
_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_RANGE_RE = re.compile(_NUM + r"\s*(?:-|–|—|to|and)\s*" + _NUM + r"\s*([^\W\d_]+)?")
_OPEN_RE = re.compile(
    r"(?:over|above|more than|at least|from|min(?:imum)?)\s+" + _NUM + r"\s*([^\W\d_]+)?"
    r"|" + _NUM + r"\s*\+\s*([^\W\d_]+)?",
    re.IGNORECASE,
)
_UNIT_STEMS = {
    "staff": frozenset({"staff", "employe", "employee", "people", "person", "headcount", "fte"}),
    "vans": frozenset({"van", "vehicl", "fleet"}),
}


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Grade each part of the profile against the interview, then the reason given."""
    drill = read_drill(context)
    key = read_key(drill, context)
    hand = read_hand_in(submission, drill)
    interview_grams = _grams(" ".join(key.interview.values()))
    b = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, RUBRIC_ID, CHECKS)
    for row in ("industry",):
        b.add(_terms_check(row, key.rows[row], key, hand.value(row, ANSWER), interview_grams))
    b.add(_size_check(key, hand, interview_grams))
    for row in ("region", "buyer", "pains", "triggers", "disqualifiers"):
        b.add(_terms_check(row, key.rows[row], key, hand.value(row, ANSWER), interview_grams))
    b.add(_terms_check(WHY, key.why, key, hand.text(WHY), interview_grams))
    return b.build()


# --------------------------------------------------------------------------- matching


def _grams(said: str) -> frozenset[tuple[str, ...]]:
    ws = [text.normal_word(w) for w in text.word_strings(said)]
    return frozenset(tuple(ws[i : i + COPY_WORDS]) for i in range(len(ws) - COPY_WORDS + 1))


def copied_runs(answer: str, interview_grams: frozenset[tuple[str, ...]]) -> list[text.Span]:
    """The stretches of ``answer`` that repeat COPY_WORDS or more words of the interview."""
    ws = text.words(answer)
    runs: list[text.Span] = []
    for i in range(len(ws) - COPY_WORDS + 1):
        gram = tuple(text.normal_word(w.text) for w in ws[i : i + COPY_WORDS])
        if gram not in interview_grams:
            continue
        start, end = ws[i].start, ws[i + COPY_WORDS - 1].end
        if runs and start <= runs[-1].end:
            runs[-1] = text.Span(runs[-1].start, end)
        else:
            runs.append(text.Span(start, end))
    return runs


def masked(answer: str, runs: Sequence[text.Span]) -> str:
    """``answer`` with the copied runs blanked out (same length, so offsets still hold)."""
    for run in runs:
        answer = answer[: run.start] + " " * (run.end - run.start) + answer[run.end :]
    return answer


def _pieces(answer: str, pattern: re.Pattern[str]) -> list[text.Span]:
    spans, start = [], 0
    for m in pattern.finditer(answer):
        spans.append(text.Span(start, m.start()))
        start = m.end()
    spans.append(text.Span(start, len(answer)))
    return [s for s in spans if answer[s.start : s.end].strip()]


def find_term(answer: str, term: str) -> text.Span | None:
    """Where ``answer`` names ``term``: the phrase itself, or (for a term of content words
    only) all of its word stems inside one clause."""
    found = text.find_phrase(answer, term)
    if found is not None:
        return found
    term_words = text.word_strings(term)
    if not term_words or not all(text.is_content_word(w) for w in term_words):
        return None
    stems = {text.content_stem(w) for w in term_words}
    for clause in _pieces(answer, _CLAUSE_RE):
        hits = [
            w
            for w in text.words(answer, clause.start, clause.end)
            if text.content_stem(w.text) in stems
        ]
        if {text.content_stem(w.text) for w in hits} >= stems:
            return text.Span(hits[0].start, hits[-1].end)
    return None


def find_group(answer: str, group: Group) -> text.Span | None:
    for term in group.terms:
        span = find_term(answer, term)
        if span is not None:
            return span
    return None


def written_as_exclusion(answer: str, span: text.Span) -> bool:
    """True when a negation ("not", "except", "excluding"...) comes earlier in the sentence."""
    for sentence in _pieces(answer, _SENTENCE_RE):
        if sentence.start <= span.start < sentence.end:
            before = text.word_strings(answer, sentence.start, span.start)
            return any(text.normal_word(w) in _NEGATION for w in before)
    return False


# --------------------------------------------------------------------------- checks


def _field(row: str) -> str:
    return f"texts.{WHY}" if row == WHY else f"rows.{row}.{ANSWER}"


_COPY_ADVICE = "Write the profile in your own short words: copied notes earn nothing here."


def _copy_evidence(row: str, answer: str, runs: Sequence[text.Span]) -> list[Evidence]:
    note = "copied from the interview: these words earn nothing; a profile chooses and sums up"
    return [Evidence.span(_field(row), answer, r.start, r.end, note) for r in runs]


def _terms_check(
    row: str,
    key: TermKey,
    icp: IcpKey,
    answer: str,
    interview_grams: frozenset[tuple[str, ...]],
) -> Check:
    spec = _SPEC[row]
    where = _field(row)
    runs = copied_runs(answer, interview_grams)
    own = masked(answer, runs)  # copied words earn nothing; excluded segments still count
    evidence: list[Evidence] = []
    named, missed = [], []
    for g in key.groups:
        at = find_group(own, g)
        if at is None:
            missed.append(g)
            continue
        named.append(g)
        note = f"{g.name}: {icp.cite(g.line)}"
        evidence.append(Evidence.span(where, answer, at.start, at.end, note))
    penalty, included = 0.0, []
    for g in key.ruled_out:
        at = find_group(answer, g)
        if at is None or written_as_exclusion(answer, at):
            continue
        penalty += g.penalty
        included.append(g.name)
        note = f"ruled out: {g.why} ({icp.cite(g.line)})"
        evidence.append(Evidence.span(where, answer, at.start, at.end, note))
    got = sum(g.weight for g in named)
    if got < key.need:
        for g in missed:
            note = f"missed {g.name}: {g.why} ({icp.cite(g.line)})"
            evidence.append(Evidence.records([f"line {g.line}"], note))
    evidence.extend(_copy_evidence(row, answer, runs))
    fraction = min(1.0, got / key.need) - penalty
    verdict = f"Named {ratio_text(len(named), len(key.groups))} of what the interview supports"
    verdict += (
        f"; included {len(included)} it rules out ({', '.join(included)})" if included else ""
    )
    verdict += "; copied the interview." if runs else "."
    advice = _advice(row, missed if got < key.need else [], included, bool(runs))
    if not evidence:
        evidence = [Evidence.records([row], "left empty")]
    return spec.award(fraction, verdict, advice, evidence)


def _advice(row: str, missed: Sequence[Group], included: Sequence[str], copied: bool) -> str:
    parts = []
    if missed:
        parts.append(f"Reread the interview for {', '.join(g.name for g in missed)}")
    if included:
        parts.append(f"leave out (or write as an exclusion) {', '.join(included)}")
    if row == WHY and missed:
        parts.append("point at what the client said, not at what any ICP should have")
    if copied:
        parts.append(_COPY_ADVICE[0].lower() + _COPY_ADVICE[1:-1])
    if not parts:
        return "Name more of what the interview supports for this part."
    joined = "; ".join(parts)
    return joined[0].upper() + joined[1:] + "."


def _unit(word: str | None) -> str | None:
    if not word:
        return None
    stem = text.stem(word)
    for unit, stems in _UNIT_STEMS.items():
        if stem in stems or text.normal_word(word) in stems:
            return unit
    return None


def _overlap(low: float, high: float, key: SizeRange) -> float:
    """Overlap over union of two ranges on a log scale (sizes grow by multiples)."""
    a, b = math.log(low), math.log(high)
    c, d = math.log(key.low), math.log(key.high)
    inter = max(0.0, min(b, d) - max(a, c))
    union = max(b, d) - min(a, c)
    return inter / union if union > 0 else 0.0


@dataclass(frozen=True)
class _Reading:
    """One size the answer states, scored against the client's range in the same unit."""

    fraction: float
    span: text.Span
    low: float
    unit: str
    note: str


def _readings(answer: str, icp: IcpKey) -> list[_Reading]:
    """Every range ("50-300 staff") or open range ("50+ staff") in ``answer``, scored."""
    found = []
    for m in _RANGE_RE.finditer(answer):
        low, high = parse_number(m.group(1)), parse_number(m.group(2))
        if low is None or high is None or not 0 < low < high:
            continue
        unit = _unit(m.group(3))
        for key in icp.sizes:
            if unit in (None, key.unit):
                share = _overlap(low, high, key)
                note = (
                    f"overlaps the client's {key.low:g}-{key.high:g} {key.unit} by "
                    f"{100 * share:.0f}% ({icp.cite(key.line)})"
                )
                span = text.Span(m.start(), m.end())
                found.append(_Reading(min(1.0, share / FULL_OVERLAP), span, low, key.unit, note))
    for m in _OPEN_RE.finditer(answer):
        raw = m.group(1) or m.group(3)
        low = parse_number(raw) if raw else None
        unit = _unit(m.group(2) or m.group(4))
        for key in icp.sizes:
            if low is not None and unit in (None, key.unit):
                near = key.low / 1.5 <= low <= key.low * 1.5
                said = f"{key.low:g}-{key.high:g} {key.unit}"
                note = f"an open range (no top): the client's is {said} ({icp.cite(key.line)})"
                span = text.Span(m.start(), m.end())
                found.append(_Reading(OPEN_RANGE if near else 0.0, span, low, key.unit, note))
    return found


def _size_check(icp: IcpKey, hand: HandIn, interview_grams: frozenset[tuple[str, ...]]) -> Check:
    spec = _SPEC["size"]
    full = hand.value("size", ANSWER)
    where = _field("size")
    runs = copied_runs(full, interview_grams)
    readings = _readings(masked(full, runs), icp)
    advice = (
        'Give a range with both ends and its unit ("50-300 staff"), taken from the client\'s '
        "best customers, and start it above the size the client says does not pay back."
    )
    copied = _copy_evidence("size", full, runs)
    if not readings:
        sizes = "; ".join(f"{k.low:g}-{k.high:g} {k.unit}" for k in icp.sizes)
        note = f"no range given; the client said {sizes} ({icp.cite(icp.sizes[0].line)})"
        evidence = [Evidence.records([f"line {icp.sizes[0].line}"], note), *copied]
        return spec.award(0.0, "No size range given.", advice, evidence)
    best = max(readings, key=lambda r: r.fraction)
    fraction = best.fraction
    evidence = [Evidence.span(where, full, best.span.start, best.span.end, best.note)]
    floor = icp.floor
    if floor is not None and best.unit == floor.unit and best.low < floor.below:
        fraction -= FLOOR_PENALTY
        note = f"ruled out: {floor.why} ({icp.cite(floor.line)})"
        evidence.append(Evidence.records([f"line {floor.line}"], note))
    verdict = f"Size range scored {100 * max(0.0, fraction):.0f}% of the check."
    return spec.award(fraction, verdict, advice, [*evidence, *copied])
