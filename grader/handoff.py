"""Handoff rubric: the note a lead generator writes for the account executive after a
held meeting, scored against what the call actually revealed.

An account executive walks into the next conversation with what the note says, so the
rubric asks for what they need (the buyer's pains in the buyer's own words, who decides,
budget and timeline status, the current vendor, the meeting agreed) and punishes what
they must not be told: a fact the call never uncovered, or one that contradicts what the
buyer said. The platform passes in what the call uncovered and the buyer's lines; this
module reads nothing else, so a fact is "invented" exactly when the transcript does not
support it.

Submission: the call's transcript ``turns`` (added by the platform, graded on the call
rubric as a part, with the call's context under ``call``), and the texts ``pains``,
``stakeholders``, ``budget``, ``timeline``, ``current_vendor``, ``next_meeting`` and an
optional ``notes``.
Context: ``buyer`` (``name``, ``company``), ``facts`` (per fact ``need``, ``budget``,
``authority``, ``timeline``, ``vendor``: ``uncovered``, and when uncovered ``value``,
``said`` (the buyer's words that revealed it) and, where known, ``decider``), the
``buyer_lines`` of the call, and the ``meeting`` agreed (``at``, ``local`` such as
"Tuesday 10:00", ``status``) or null.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from grader import call as call_rubric
from grader.fields import CONTEXT, SUBMISSION
from grader.results import Check, Evidence, Grade
from grader.rubric import CheckSpec, Gate, GradeBuilder, specs_by_id

RUBRIC_ID = "handoff"
RUBRIC_VERSION = "1.1.0"  # 1.1: the note's checks rescaled so call + note = 100
KIND = "handoff"
NOTE_CHARS = 5_000
FIELDS = ("pains", "stakeholders", "budget", "timeline", "current_vendor", "next_meeting")
FACTS = ("need", "budget", "authority", "timeline", "vendor")

CHECKS = (
    CheckSpec(
        "call",
        30,
        "The call behind the handoff, on the call rubric (its share of this check's points;"
        " its checks are shown as a part; skipped when no transcript is handed in).",
    ),
    CheckSpec(
        "pains",
        15,
        "The buyer's pain in their own words: a phrase of three or more words from what"
        " they said (full), or their pain in your words (half).",
    ),
    CheckSpec(
        "stakeholders",
        10,
        "Who decides, as the call revealed it: the buyer, or the colleague they named.",
    ),
    CheckSpec("budget", 10, "Budget status as the buyer stated it (set aside or not)."),
    CheckSpec("timeline", 10, "Timeline status as the buyer stated it (now or later)."),
    CheckSpec("current_vendor", 5, "The vendor the buyer uses today, by name."),
    CheckSpec(
        "next_meeting",
        10,
        "The meeting agreed: its day (half) and its time (half), as agreed on the call.",
    ),
    CheckSpec(
        "no_invented_facts",
        10,
        "Nothing the call did not reveal: no fact the buyer never stated, none contradicting"
        " them, no figure they never said.",
    ),
)
SPEC = specs_by_id(CHECKS)

_WORD = re.compile(r"[a-z0-9']+")
_NUMBER = re.compile(r"[$£€]?\d(?:[\d,.]*\d)?(?:\s?[kKmM]\b)?")
_UNKNOWN = re.compile(
    r"\b(unknown|unclear|tbd|n/a|not (yet )?(discussed|asked|covered|known|confirmed|"
    r"uncovered|clear)|didn't (ask|come up|get to)|did not (ask|come up|get to)|no idea)\b",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(no|not|none|nothing|without|isn't|hasn't|haven't|aren't|don't|doesn't|can't|"
    r"frozen|tight|later|next (quarter|year)|no rush|unbudgeted)\b|n't\b",
    re.IGNORECASE,
)
_DECIDES = re.compile(
    r"\b(decid\w*|decision|signs?( off)?|sign-off|final say|approv\w*|owner|buyer)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    "a an the and or but of to in on for with at by is are was were be it its it's this that"
    " we our us i me my you your they them their he she his her not no so if as from about"
    " have has had do does did just really very honestly".split()
)
#: why a fact's check is skipped: the call never uncovered it, and the note claims nothing
_UNCOVERED = "The call never uncovered {what}, and the note claims nothing about it."
_ADVICE = {
    "pains": "Quote the buyer: the AE should hear the problem the way the buyer put it.",
    "stakeholders": "Say who signs off: the buyer, or the colleague they named.",
    "budget": "Write down what the buyer said about budget, and only that.",
    "timeline": "Write down when the buyer wants this solved, as they said it.",
    "current_vendor": "Name the tool or supplier the buyer uses today.",
    "next_meeting": "Give the meeting's day and time as agreed, in the buyer's time zone.",
}


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    note = {
        name: SUBMISSION.text(submission.get(name, ""), name, max_chars=NOTE_CHARS)
        for name in (*FIELDS, "notes")
    }
    facts, lines, meeting = _context(context)
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, KIND, CHECKS)
    _call(builder, submission, context)
    if not any(text.strip() for text in note.values()):
        for spec in CHECKS[1:]:
            builder.add(spec.award(0, "The note is empty: the AE gets nothing.", _ADVICE["pains"]))
        return builder.build()
    invented: list[Evidence] = []
    found = {
        "pains": _pains(note["pains"], facts["need"], lines, invented),
        "stakeholders": _stakeholders(note["stakeholders"], facts["authority"], invented),
        "budget": _status("budget", note["budget"], facts["budget"], invented),
        "timeline": _status("timeline", note["timeline"], facts["timeline"], invented),
        "current_vendor": _vendor(note["current_vendor"], facts["vendor"], invented),
    }
    for check_id, result in found.items():
        if isinstance(result, str):
            builder.skip(check_id, result)
        else:
            builder.add(result)
    builder.add(_meeting(note["next_meeting"], meeting))
    heard = " ".join([*lines, str((meeting or {}).get("local") or "")]).lower()
    for name in ("pains", "stakeholders", "budget", "timeline", "current_vendor", "notes"):
        invented.extend(_figures(name, note[name], heard))
    spec = SPEC["no_invented_facts"]
    if invented:
        builder.add(
            spec.award(
                0,
                f"{len(invented)} statement{'s' if len(invented) != 1 else ''} the call does"
                " not support: the AE would walk in with them.",
                "Hand over only what the buyer said; write 'not discussed' for the rest.",
                invented[:10],
            )
        )
    else:
        builder.add(spec.award(1, "Every statement in the note is backed by the call."))
    if not meeting or meeting.get("status") != "held":
        gate = Gate(
            "no held meeting stands behind this handoff",
            "Book the meeting, let it happen, then write the handoff.",
        )
        builder.gate(gate, [s.id for s in CHECKS if s.id not in ("call", "no_invented_facts")])
    return builder.build()


def _call(
    builder: GradeBuilder, submission: Mapping[str, object], context: Mapping[str, object]
) -> None:
    """The call the note is about, graded on the call rubric: a check worth its share and
    the call's own grade as a part (its evidence quotes the caller's turns, ``turns[i]``)."""
    if not submission.get("turns"):
        builder.skip("call", "No call transcript was handed in with the note.")
        return
    ctx = CONTEXT.optional_mapping(context.get("call"), "call")
    graded = call_rubric.grade_submission({"turns": submission["turns"]}, ctx)
    builder.parts.append(graded)
    builder.add(
        SPEC["call"].award(
            graded.percent / 100,
            f"Your call scored {graded.score:g} of {graded.possible:g} on the call rubric"
            " (its checks are below).",
            "Open with permission and a reason, ask open questions, acknowledge objections"
            " and close for a day and a time.",
        )
    )


def _context(
    context: Mapping[str, object],
) -> tuple[dict[str, Mapping[str, object]], list[str], Mapping[str, object] | None]:
    raw = CONTEXT.optional_mapping(context.get("facts"), "facts")
    facts = {f: CONTEXT.optional_mapping(raw.get(f), f"facts.{f}") for f in FACTS}
    lines = [
        CONTEXT.text(line, f"buyer_lines[{i}]")
        for i, line in enumerate(CONTEXT.sequence(context.get("buyer_lines", []), "buyer_lines"))
    ]
    meeting = context.get("meeting")
    found = CONTEXT.mapping(meeting, "meeting") if meeting is not None else None
    return facts, lines, found


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _stems(text: str) -> set[str]:
    """Content words, crudely stemmed ("referrals" is "referral"), stop words left out."""
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in _words(text)} - _STOP


def _whole(name: str, text: str, note: str) -> Evidence:
    start = len(text) - len(text.lstrip())
    return Evidence.span(name, text, start, len(text.rstrip()), note)


def _invented(name: str, text: str, why: str, invented: list[Evidence]) -> Check:
    invented.append(_whole(name, text, why))
    end = "" if why.endswith((".", '"', "!", "?")) else "."
    return SPEC[name].award(0, f"Not what the call revealed: {why}{end}", _ADVICE[name])


def _pains(
    text: str, fact: Mapping[str, object], lines: Sequence[str], out: list[Evidence]
) -> Check | str:
    spec = SPEC["pains"]
    if not fact.get("uncovered"):
        if not text.strip() or _UNKNOWN.search(text):
            return _UNCOVERED.format(what="the buyer's pain")
        return _invented("pains", text, "the buyer never described a pain on the call", out)
    if not text.strip():
        return spec.award(0, "No pain is handed over.", _ADVICE["pains"])
    if fact.get("value") is False:
        if _NEGATIVE.search(text):
            return spec.award(1, "The buyer said there is no pressing problem; the note says so.")
        return _invented("pains", text, "the buyer said they have no pressing problem", out)
    said = str(fact.get("said") or "")
    phrase = _shared_phrase(text, [said, *lines])
    if phrase is not None:
        start, end = phrase
        quote = Evidence.span("pains", text, start, end, "the buyer's own words")
        return spec.award(1, "The pain is handed over in the buyer's words.", evidence=(quote,))
    if len(_stems(said) & _stems(text)) >= 2:
        return spec.award(
            0.5,
            f'The pain is there, in your words; the buyer said: "{said}"',
            _ADVICE["pains"],
            (_whole("pains", text, "your words"),),
        )
    return spec.award(
        0,
        f'The note does not match the pain the buyer named: "{said}"',
        _ADVICE["pains"],
        (_whole("pains", text, "not what the buyer said"),),
    )


def _shared_phrase(text: str, sources: Sequence[str]) -> tuple[int, int] | None:
    """The first run of three words of ``text`` (not all stop words) that a source says."""
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text.lower())]
    heard = [f" {' '.join(_words(s))} " for s in sources if s]

    def said(run: list[tuple[str, int, int]]) -> bool:
        phrase = " ".join(t[0] for t in run)
        return any(f" {phrase} " in h for h in heard)

    for i in range(len(tokens) - 2):
        run = tokens[i : i + 3]
        if all(t[0] in _STOP for t in run) or not said(run):
            continue
        end = i + 3
        while end < len(tokens) and said(tokens[i : end + 1]):
            end += 1  # the longest run the buyer said, for the evidence
        return tokens[i][1], tokens[end - 1][2]
    return None


def _stakeholders(text: str, fact: Mapping[str, object], out: list[Evidence]) -> Check | str:
    spec = SPEC["stakeholders"]
    if not fact.get("uncovered"):
        if not text.strip() or _UNKNOWN.search(text):
            return _UNCOVERED.format(what="who decides")
        return _invented("stakeholders", text, "the call never asked who decides", out)
    if not text.strip():
        return spec.award(0, "Nobody is named as deciding.", _ADVICE["stakeholders"])
    decider = str(fact.get("decider") or "")
    said = set(_words(text))
    if fact.get("value") is True:
        if _DECIDES.search(text) and not _NEGATIVE.search(text):
            return spec.award(1, "The buyer decides, as they said.")
        return spec.award(0.5, "Say plainly that the buyer decides.", _ADVICE["stakeholders"])
    names = set(_words(decider)) - _STOP
    if names and names & said:
        return spec.award(1, f"{decider} decides, as the buyer said.")
    if _DECIDES.search(text) and not _NEGATIVE.search(text):
        return _invented(
            "stakeholders", text, f"the buyer said {decider or 'someone else'} decides", out
        )
    return spec.award(0.5, f"Name the colleague who decides: {decider}.", _ADVICE["stakeholders"])


def _status(name: str, text: str, fact: Mapping[str, object], out: list[Evidence]) -> Check | str:
    spec = SPEC[name]
    what = "budget" if name == "budget" else "timeline"
    if not fact.get("uncovered"):
        if not text.strip() or _UNKNOWN.search(text):
            return _UNCOVERED.format(what=f"the {what}")
        return _invented(name, text, f"the buyer never spoke about the {what}", out)
    if not text.strip():
        return spec.award(0, f"No {what} status.", _ADVICE[name])
    said = str(fact.get("said") or "")
    stated_yes = not _NEGATIVE.search(text) and not _UNKNOWN.search(text)
    if _UNKNOWN.search(text):
        return spec.award(0, f'The buyer did say: "{said}"', _ADVICE[name])
    if stated_yes == bool(fact.get("value")):
        return spec.award(1, f'As the buyer said: "{said}"')
    return _invented(name, text, f'the buyer said "{said}"', out)


def _vendor(text: str, fact: Mapping[str, object], out: list[Evidence]) -> Check | str:
    spec = SPEC["current_vendor"]
    if not fact.get("uncovered"):
        if not text.strip() or _UNKNOWN.search(text):
            return _UNCOVERED.format(what="the current vendor")
        return _invented("current_vendor", text, "the buyer never named a vendor", out)
    if not text.strip():
        return spec.award(0, "No current vendor.", _ADVICE["current_vendor"])
    vendor = str(fact.get("value") or "")
    at = text.lower().find(vendor.lower()) if vendor else -1
    if at >= 0:
        found = Evidence.span("current_vendor", text, at, at + len(vendor), "as the buyer said")
        return spec.award(1, f"{vendor}, as the buyer said.", evidence=(found,))
    if _UNKNOWN.search(text):
        return spec.award(0, f"The buyer named {vendor}.", _ADVICE["current_vendor"])
    return _invented("current_vendor", text, f"the buyer uses {vendor}", out)


def _meeting(text: str, meeting: Mapping[str, object] | None) -> Check:
    spec = SPEC["next_meeting"]
    if meeting is None:
        return spec.award(0, "No meeting was agreed on the call.", _ADVICE["next_meeting"])
    local = str(meeting.get("local") or "")
    day, _, clock = local.partition(" ")
    hour = int(clock.split(":")[0]) if clock[:2].isdigit() else -1
    lowered = text.lower()
    has_day = bool(day) and day.lower() in lowered
    times = [int(m.group(1)) for m in re.finditer(r"\b(\d{1,2})(?::\d{2}|\s*[ap]\.?m\b)", lowered)]
    pm = re.search(rf"\b{hour - 12}\s*p\.?m\b", lowered) if hour > 12 else None
    has_time = hour in times or pm is not None
    fraction = 0.5 * has_day + 0.5 * has_time
    verdict = f"The meeting agreed: {local} (the buyer's time)."
    if fraction == 1:
        return spec.award(1, verdict)
    return spec.award(
        fraction, verdict + " The note does not give it in full.", _ADVICE["next_meeting"]
    )


def _figures(name: str, text: str, heard: str) -> list[Evidence]:
    """Figures in the note that nobody said on the call (money, counts, percentages)."""
    out = []
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"[^\d]", "", m.group())
        if len(digits) < 2 or digits in re.sub(r"[^\d ]", "", heard).split():
            continue
        out.append(Evidence.span(name, text, m.start(), m.end(), "a figure the buyer never said"))
    return out
