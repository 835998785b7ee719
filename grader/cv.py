"""CV rubric: a summary and bullets for an SDR application, every practice claim checked.

Why this kind exists: a learner's CV is the first thing an employer reads, and the one
thing this platform can do that no template can is check it against the work really done.
The context carries the learner's true figures (``records``: meetings booked, reply rate,
contacts researched, compliance violations, runs and exercises completed, best score);
every figure a *practice* bullet or the summary claims is compared with them
(:mod:`grader.cv_claims`), and a mismatch is quoted with the true figure. Bullets about an
outside job sit under that job's heading (``section: "job"`` with a ``heading``): the
platform cannot check them, so it does not, but it refuses a job bullet with no heading.

Hard limits (refused as malformed, naming the field): a summary over 1,000 characters,
more than 12 bullets, a bullet over 300 characters. The softer guideline (3-8 bullets of
at most 30 words, a 20-70 word summary) is graded by the ``length`` check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from grader.cv_claims import FIGURES, find_claims, matches, record, show
from grader.fields import CONTEXT, SUBMISSION
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text

RUBRIC_ID = "cv"
RUBRIC_VERSION = "1.0.0"

SUMMARY_MAX_CHARS = 1_000
BULLET_MAX_CHARS = 300
MAX_BULLETS = 12
SUMMARY_WORDS = (20, 70)
BULLET_WORDS = 30
BULLET_COUNT = (3, 8)
SECTIONS = ("practice", "job")

CHECKS = (
    CheckSpec(
        "records_match", 35, "Every figure claimed about practice matches the learner's records."
    ),
    CheckSpec("claims_backed", 10, "No practice claim about a figure the records do not hold."),
    CheckSpec("quantified", 15, "Bullets carry a number (share of bullets)."),
    CheckSpec("action_verbs", 10, "Bullets start with an action verb (share of bullets)."),
    CheckSpec("fits_sdr", 15, "The summary names the SDR role; bullets show SDR work."),
    CheckSpec("length", 10, "3-8 bullets of at most 30 words; a 20-70 word summary."),
    CheckSpec("no_cliches", 5, "No empty clichés (hard worker, team player...)."),
)
_SPEC = {s.id: s for s in CHECKS}

_I = re.IGNORECASE
ACTION_VERBS = frozenset(
    "achieved analysed analyzed booked built closed completed contacted converted created "
    "delivered designed drafted drove earned exceeded generated grew handled identified "
    "improved increased launched led logged managed mapped met opened organised organized "
    "prospected qualified raised reached reduced researched resolved ran scored secured "
    "segmented sent set sourced started tested trained tracked won wrote".split()
)
ROLE_RE = re.compile(
    r"\b(?:SDRs?|BDRs?|sales development|business development|lead generat\w*|outbound"
    r"|inside sales)\b",
    _I,
)
WORK_RE = re.compile(
    r"\b(?:prospect\w*|research\w*|meetings?|outreach|cold[- ]call\w*|calls?|e-?mails?"
    r"|sequences?|CRM|qualif\w*|pipeline|objections?|follow[- ]?ups?|repl\w*|leads?)\b",
    _I,
)
CLICHE_RE = re.compile(
    r"\b(?:hard[- ]?work(?:er|ing)|team player|go-getter|guru|ninja|rock ?star"
    r"|self-starter|results-driven|detail-oriented|passionate|think outside the box)",
    _I,
)
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
NUMBER_RE = re.compile(r"\d")


class Bullet:
    """One bullet as read from the submission."""

    def __init__(self, index: int, text: str, section: str, heading: str) -> None:
        self.index, self.text, self.section, self.heading = index, text, section, heading

    @property
    def field(self) -> str:
        return f"bullets[{self.index}].text"


def _read(submission: Mapping[str, object]) -> tuple[str, list[Bullet]]:
    summary = SUBMISSION.text(submission.get("summary"), "summary", max_chars=SUMMARY_MAX_CHARS)
    items = SUBMISSION.sequence(submission.get("bullets"), "bullets", max_items=MAX_BULLETS)
    bullets = []
    for i, raw in enumerate(items):
        item = SUBMISSION.mapping(raw, f"bullets[{i}]")
        text = SUBMISSION.text(
            item.get("text"), f"bullets[{i}].text", max_chars=BULLET_MAX_CHARS, blank=False
        )
        section = SUBMISSION.choice(
            item.get("section", "practice"), f"bullets[{i}].section", SECTIONS
        )
        heading = SUBMISSION.optional_text(
            item.get("heading"), f"bullets[{i}].heading", max_chars=200
        )
        if section == "job" and not (heading or "").strip():
            raise SUBMISSION.fail(
                f"bullets[{i}].heading", "a job bullet needs the job's heading (role, employer)"
            )
        bullets.append(Bullet(i, text, section, (heading or "").strip()))
    return summary, bullets


def _truth_checks(
    summary: str, bullets: list[Bullet], records: Mapping[str, object]
) -> tuple[Check, Check]:
    texts = [("summary", summary)] + [(b.field, b.text) for b in bullets if b.section == "practice"]
    right: list[Evidence] = []
    wrong: list[Evidence] = []
    unbacked: list[Evidence] = []
    for field, text in texts:
        for claim in find_claims(text):
            true = None if claim.value is None else record(records, claim.figure)
            if claim.value is None or true is None:
                what = FIGURES.get(claim.figure, "such a figure")
                note = f"no record of {what} in your practice"
                unbacked.append(Evidence.span(field, text, claim.start, claim.end, note))
            elif matches(claim.figure, claim.value, true):
                note = f"records: {show(claim.figure, true)} {FIGURES[claim.figure]}"
                right.append(Evidence.span(field, text, claim.start, claim.end, note))
            else:
                note = f"your records show {show(claim.figure, true)} {FIGURES[claim.figure]}"
                wrong.append(Evidence.span(field, text, claim.start, claim.end, note))
                wrong.append(Evidence.records([claim.figure], note))
    spec = _SPEC["records_match"]
    checked = len(right) + len(wrong) // 2
    if wrong:
        first = wrong[0]
        verdict = f"'{first.quote}' does not match your records: {first.note}."
        advice = "Use the figures from your records exactly; an employer may ask to see them."
        match = spec.award(0, verdict, advice, wrong[:6])
    elif right:
        match = spec.award(
            1,
            f"All {checked} figure(s) about your practice match your records.",
            evidence=right[:5],
        )
    else:
        advice = "Build at least one bullet from your own figures (meetings, reply rate, contacts)."
        match = spec.award(0.5, "No figure about your practice to check.", advice)
    spec = _SPEC["claims_backed"]
    if unbacked:
        verdict = f"'{unbacked[0].quote}': {unbacked[0].note}."
        advice = "Claim only what your records hold, or put outside work under its job heading."
        backed = spec.award(0, verdict, advice, unbacked[:5])
    else:
        backed = spec.award(1, "Every practice claim has a record behind it.")
    return match, backed


def _share_check(check_id: str, hits: list[Bullet], bullets: list[Bullet], advice: str) -> Check:
    spec = _SPEC[check_id]
    if not bullets:
        return spec.award(0, "No bullets.", "Write 3-8 bullets.")
    misses = [b for b in bullets if b not in hits]
    evidence = [Evidence.span(b.field, b.text, 0, min(len(b.text), 60)) for b in misses[:3]]
    verdict = f"{ratio_text(len(hits), len(bullets))} bullets."
    return spec.award(len(hits) / len(bullets), verdict, advice, evidence)


def _first_word(text: str) -> str:
    m = WORD_RE.search(text)
    return m.group(0).lower() if m else ""


def _fit_check(summary: str, bullets: list[Bullet]) -> Check:
    spec = _SPEC["fits_sdr"]
    role = ROLE_RE.search(summary)
    work = [b for b in bullets if WORK_RE.search(b.text)]
    share = len(work) / len(bullets) if bullets else 0.0
    fraction = (0.5 if role else 0.0) + (0.5 if share >= 0.5 else share)
    evidence = [Evidence.span("summary", summary, role.start(), role.end())] if role else []
    verdict = ("Names the role" if role else "The summary names no role") + (
        f"; {ratio_text(len(work), len(bullets))} bullets show SDR work."
    )
    advice = "Name the role you want (SDR) and show prospecting, research, outreach or meetings."
    return spec.award(fraction, verdict, advice, evidence)


def _length_check(summary: str, bullets: list[Bullet]) -> Check:
    spec = _SPEC["length"]
    problems: list[str] = []
    words = len(WORD_RE.findall(summary))
    if not SUMMARY_WORDS[0] <= words <= SUMMARY_WORDS[1]:
        problems.append(f"summary of {words} words")
    low, high = BULLET_COUNT
    if not low <= len(bullets) <= high:
        problems.append(f"{len(bullets)} bullets")
    long = [b for b in bullets if len(WORD_RE.findall(b.text)) > BULLET_WORDS]
    if long:
        problems.append(f"{len(long)} bullet(s) over {BULLET_WORDS} words")
    evidence = [Evidence.span(b.field, b.text, 0, len(b.text)) for b in long[:3]]
    if not problems:
        return spec.award(1, f"{len(bullets)} bullets; a {words}-word summary.")
    advice = (
        f"Aim for {low}-{high} bullets of at most {BULLET_WORDS} words and a 20-70 word summary."
    )
    return spec.award(
        max(0.0, 1 - 0.5 * len(problems)), "; ".join(problems).capitalize() + ".", advice, evidence
    )


def _cliche_check(summary: str, bullets: list[Bullet]) -> Check:
    spec = _SPEC["no_cliches"]
    found = [
        Evidence.span("summary", summary, m.start(), m.end()) for m in CLICHE_RE.finditer(summary)
    ]
    for b in bullets:
        found += [
            Evidence.span(b.field, b.text, m.start(), m.end()) for m in CLICHE_RE.finditer(b.text)
        ]
    if not found:
        return spec.award(1, "No empty clichés.")
    return spec.award(
        0, f"{len(found)} cliché(s).", "Replace each with a result from your records.", found[:5]
    )


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    summary, bullets = _read(submission)
    records = CONTEXT.optional_mapping(context.get("records"), "records")
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "cv", CHECKS)
    for check in _truth_checks(summary, bullets, records):
        builder.add(check)
    builder.add(
        _share_check(
            "quantified",
            [b for b in bullets if NUMBER_RE.search(b.text)],
            bullets,
            "Give each bullet a number: how many, how often, what rate.",
        )
    )
    builder.add(
        _share_check(
            "action_verbs",
            [b for b in bullets if _first_word(b.text) in ACTION_VERBS],
            bullets,
            "Start each bullet with what you did: 'Booked', 'Researched', 'Wrote'.",
        )
    )
    builder.add(_fit_check(summary, bullets))
    builder.add(_length_check(summary, bullets))
    builder.add(_cliche_check(summary, bullets))
    return builder.build()
