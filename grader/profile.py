"""Profile rubric: a LinkedIn headline and About section for an aspiring SDR.

What a hiring manager looks for, as the career lesson (job-search-cv-and-linkedin) teaches
it: a headline that names the role wanted and some proof; an About section that says in
its first sentence what the writer does for a sales team, proves it with numbers, says
where those numbers come from (a job, or practice labelled as practice), ends with what the
writer is looking for, is written in the first person, and avoids empty clichés. Each
check quotes the learner's own words as evidence, or says what it looked for and did not
find. No language model: every check is a documented pattern, deterministic and offline.

LinkedIn's limits (220 characters for a headline, 2,600 for the About section) are the
platform's own; a longer text would be cut, so it loses the length check rather than
being refused. Texts longer than the grader's field limits are refused as malformed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from grader.fields import MAX_SHORT_CHARS, SUBMISSION
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder
from grader.text import Span, sentences

RUBRIC_ID = "profile"
RUBRIC_VERSION = "1.0.0"

HEADLINE_LIMIT = 220  # LinkedIn's headline limit, in characters
ABOUT_LIMIT = 2_600  # LinkedIn's About limit, in characters
ABOUT_WORDS = (60, 350)  # this course's guideline: enough for proof, short enough to read

CHECKS = (
    CheckSpec(
        "headline_role", 15, "The headline names the role wanted (SDR, BDR, sales development...)."
    ),
    CheckSpec("headline_proof", 10, "The headline carries proof: a number, a channel or a skill."),
    CheckSpec(
        "headline_fits", 5, f"The headline is one line of at most {HEADLINE_LIMIT} characters."
    ),
    CheckSpec("no_cliches", 10, "No empty clichés (hard worker, team player, guru...)."),
    CheckSpec(
        "about_value", 15, "The About section opens with what the writer does for a sales team."
    ),
    CheckSpec("about_proof", 20, "At least two results with numbers (one earns half)."),
    CheckSpec(
        "about_source", 10, "The results say where they come from (a job, or labelled practice)."
    ),
    CheckSpec(
        "about_next_step", 5, "It ends with what the writer is looking for or how to reach them."
    ),
    CheckSpec("about_length", 5, "The About section is 60-350 words and within LinkedIn's limit."),
    CheckSpec("first_person", 5, "The About section is written in the first person."),
)
_SPEC = {s.id: s for s in CHECKS}

_I = re.IGNORECASE
ROLE_RE = re.compile(
    r"\b(?:SDRs?|BDRs?|sales development|business development|lead generat\w*"
    r"|outbound|inside sales|appointment sett\w*)\b",
    _I,
)
PROOF_RE = re.compile(
    r"\d|\b(?:e-?mail|phone|cold call\w*|calls?|calling|prospect\w*|CRM|pipeline|meetings?"
    r"|LinkedIn|research\w*|qualif\w*|sequences?|campaigns?)\b",
    _I,
)
CLICHE_RE = re.compile(
    r"\b(?:hard[- ]?work(?:er|ing)|team player|go-getter|guru|ninja|rock ?star"
    r"|open to (?:new )?opportunities|looking for (?:a |any )?(?:job|work)\b"
    r"|self-starter|results-driven|detail-oriented|passionate)",
    _I,
)
VALUE_RE = re.compile(
    r"\b(?:book\w*|start\w* conversations?|pipeline|qualif\w*|research\w*|outreach|prospect\w*"
    r"|meetings?|SDRs?|BDRs?|sales development|lead generat\w*)\b",
    _I,
)
RESULT_RE = re.compile(
    r"\b(?:meetings?|repl\w*|calls?|contacts?|prospects?|leads?|rate|campaigns?|quota|target"
    r"|accounts?|emails?|conversations?|dials?)\b|%",
    _I,
)
NUMBER_RE = re.compile(r"\d")
SOURCE_RE = re.compile(
    r"\b(?:(?i:simulat\w*|sandbox|practice|course|exercises?|bootcamp"
    r"|in my (?:\w+ )?(?:role|job|position))|at [A-Z][\w&'-]+|as an? [\w -]{2,40} at)\b"
)
NEXT_RE = re.compile(
    r"\b(?:looking for|open to|seeking|reach me|message me|contact me|get in touch|e-?mail me"
    r"|DM me|happy to (?:talk|chat)|let's (?:talk|connect)|connect with me)\b",
    _I,
)
FIRST_PERSON_RE = re.compile(r"\b(?:I|I'm|I've|my|me)\b")
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _spans(field: str, text: str, found: list[Span]) -> list[Evidence]:
    return [Evidence.span(field, text, s.start, s.end) for s in found]


def _match_span(field: str, text: str, match: re.Match[str]) -> Evidence:
    return Evidence.span(field, text, match.start(), match.end())


def _headline_checks(headline: str) -> list[Check]:
    checks = []
    role = ROLE_RE.search(headline)
    spec = _SPEC["headline_role"]
    if role:
        checks.append(
            spec.award(1, "Names the role.", evidence=[_match_span("headline", headline, role)])
        )
    else:
        checks.append(
            spec.award(0, "No role named.", "Say the role you want, e.g. 'Aspiring SDR'.")
        )
    proof = list(PROOF_RE.finditer(headline))
    spec = _SPEC["headline_proof"]
    if proof:
        evidence = [_match_span("headline", headline, m) for m in proof[:3]]
        checks.append(spec.award(1, "Carries proof or a concrete skill.", evidence=evidence))
    else:
        advice = "Add a number or a channel you have practised, e.g. 'outbound email and phone'."
        checks.append(spec.award(0, "Nothing a manager could check.", advice))
    spec = _SPEC["headline_fits"]
    if not headline.strip():
        checks.append(spec.award(0, "The headline is empty.", "Write one line."))
    elif "\n" in headline.strip() or len(headline) > HEADLINE_LIMIT:
        verdict = f"{len(headline)} characters" + (
            ", more than one line" if "\n" in headline.strip() else ""
        )
        advice = (
            f"Keep it to one line of at most {HEADLINE_LIMIT} characters: LinkedIn cuts the rest."
        )
        checks.append(spec.award(0, verdict + ".", advice))
    else:
        checks.append(spec.award(1, f"{len(headline)} characters, one line."))
    return checks


def _cliche_check(headline: str, about: str) -> Check:
    spec = _SPEC["no_cliches"]
    found = [_match_span("headline", headline, m) for m in CLICHE_RE.finditer(headline)]
    found += [_match_span("about", about, m) for m in CLICHE_RE.finditer(about)]
    if not found:
        return spec.award(1, "No empty clichés.")
    advice = "Replace each cliché with evidence: what you did, with a number."
    return spec.award(0, f"{len(found)} cliché(s) a manager will skip over.", advice, found[:5])


def _about_checks(about: str) -> list[Check]:
    checks = []
    parts = sentences(about)
    first = parts[0] if parts else None
    spec = _SPEC["about_value"]
    if first is not None and VALUE_RE.search(first.of(about)):
        checks.append(
            spec.award(
                1, "Opens with what you do for a team.", evidence=_spans("about", about, [first])
            )
        )
    elif VALUE_RE.search(about):
        span = next(s for s in parts if VALUE_RE.search(s.of(about)))
        advice = "Move this to the first sentence: most readers stop there."
        checks.append(
            spec.award(
                0.5, "What you do comes later, not first.", advice, _spans("about", about, [span])
            )
        )
    else:
        checks.append(
            spec.award(
                0, "Never says what you do for a sales team.", "Open with one sentence on it."
            )
        )

    results = [s for s in parts if NUMBER_RE.search(s.of(about)) and RESULT_RE.search(s.of(about))]
    spec = _SPEC["about_proof"]
    advice = (
        "Give two or three results with numbers from your records (e.g. meetings from contacts)."
    )
    if len(results) >= 2:
        checks.append(
            spec.award(
                1,
                f"{len(results)} results with numbers.",
                evidence=_spans("about", about, results[:3]),
            )
        )
    elif results:
        checks.append(
            spec.award(0.5, "One result with a number.", advice, _spans("about", about, results))
        )
    else:
        checks.append(spec.award(0, "No result with a number.", advice))

    spec = _SPEC["about_source"]
    labelled = [s for s in results if SOURCE_RE.search(s.of(about))]
    if labelled:
        checks.append(
            spec.award(
                1,
                "Says where the results come from.",
                evidence=_spans("about", about, labelled[:2]),
            )
        )
    elif results:
        advice = "Say where each result happened: 'at <company>', or 'in a simulated campaign'."
        checks.append(
            spec.award(
                0,
                "The results do not say where they happened.",
                advice,
                _spans("about", about, results[:2]),
            )
        )
    else:
        checks.append(
            spec.award(
                0, "No results to label.", "Add results first, then say where they happened."
            )
        )

    spec = _SPEC["about_next_step"]
    tail = parts[-2:]
    in_tail = [s for s in tail if NEXT_RE.search(s.of(about))]
    anywhere = [s for s in parts if NEXT_RE.search(s.of(about))]
    if in_tail:
        checks.append(
            spec.award(
                1,
                "Ends with what you are looking for.",
                evidence=_spans("about", about, in_tail[:1]),
            )
        )
    elif anywhere:
        advice = "Put what you are looking for, and how to reach you, at the end."
        checks.append(
            spec.award(
                0.5,
                "Says what you want, but not at the end.",
                advice,
                _spans("about", about, anywhere[:1]),
            )
        )
    else:
        checks.append(
            spec.award(
                0,
                "No next step for the reader.",
                "End with the role you want and how to reach you.",
            )
        )

    spec = _SPEC["about_length"]
    n_words = len(WORD_RE.findall(about))
    low, high = ABOUT_WORDS
    if len(about) > ABOUT_LIMIT:
        advice = f"LinkedIn keeps {ABOUT_LIMIT:,} characters; cut to the three parts."
        checks.append(spec.award(0, f"{len(about):,} characters: over LinkedIn's limit.", advice))
    elif n_words < low:
        checks.append(
            spec.award(
                0, f"{n_words} words: too thin to prove anything.", f"Aim for {low}-{high} words."
            )
        )
    elif n_words > high:
        checks.append(
            spec.award(
                0.5, f"{n_words} words: long for a first read.", f"Aim for {low}-{high} words."
            )
        )
    else:
        checks.append(spec.award(1, f"{n_words} words."))

    spec = _SPEC["first_person"]
    me = FIRST_PERSON_RE.search(about)
    if me:
        checks.append(spec.award(1, "First person.", evidence=[_match_span("about", about, me)]))
    else:
        checks.append(
            spec.award(0, "Not in the first person.", "Write as yourself: 'I book meetings...'.")
        )
    return checks


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    headline = SUBMISSION.text(submission.get("headline"), "headline", max_chars=MAX_SHORT_CHARS)
    about = SUBMISSION.text(submission.get("about"), "about")
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, "profile", CHECKS)
    for check in _headline_checks(headline):
        builder.add(check)
    builder.add(_cliche_check(headline, about))
    for check in _about_checks(about):
        builder.add(check)
    return builder.build()
