"""How the message is written: length, subject line, readability, spam and focus."""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader import text
from grader.outreach.body import Body
from grader.outreach.inputs import Message
from grader.outreach.rubric import (
    CALL_SECONDS,
    EMAIL_SHORT_WORDS,
    EMAIL_WORDS,
    LINKEDIN_MAX_CHARS,
    LINKEDIN_MIN_CHARS,
    MAX_SENTENCE_WORDS,
    MIN_STYLE_WORDS,
    READABILITY_BANDS,
    READABLE_GRADE,
    SPEC,
    SUBJECT_MAX_CHARS,
    SUBJECT_WORDS,
    WORDS_PER_MINUTE,
)
from grader.results import Check, Evidence
from grader.rubric import CheckSpec, band


def length_check(body: Body, channel: str) -> Check:
    spec = SPEC["length"]
    if channel == "linkedin":
        return _linkedin_length(spec, len(body.text.strip()))
    n = sum(len(body.sentence_words[i]) for i in body.core)
    return _call_length(spec, n) if channel == "call" else _email_length(spec, n)


def _linkedin_length(spec: CheckSpec, n: int) -> Check:
    if n > LINKEDIN_MAX_CHARS:
        return spec.award(
            0,
            f"{n} characters: LinkedIn cuts connection notes at {LINKEDIN_MAX_CHARS}.",
            f"Cut the note to {LINKEDIN_MAX_CHARS} characters: one reason to connect, one ask.",
        )
    if n < LINKEDIN_MIN_CHARS:
        return spec.award(
            0.5,
            f"{n} characters: too short to say why you want to connect.",
            "Add one sentence on why you are reaching out to this person.",
        )
    return spec.award(1, f"{n} characters: fits LinkedIn's {LINKEDIN_MAX_CHARS}-character note.")


def _email_length(spec: CheckSpec, n: int) -> Check:
    low, high = EMAIL_WORDS
    said = f"{n} words (opt-out and address lines not counted)"
    if low <= n <= high:
        return spec.award(1, f"{said}: inside the {low}-{high} words that get the most replies.")
    if EMAIL_SHORT_WORDS <= n < low:
        return spec.award(
            0.8,
            f"{said}: short, which suits an opener but may leave out the value.",
            f"Use {low}-{high} words: add the one sentence that says what is in it for them.",
        )
    if n < EMAIL_SHORT_WORDS:
        return spec.award(
            0.3,
            f"{said}: too short to give a reason to reply.",
            f"Write {low}-{high} words: who you are, why them, what is in it for them, one ask.",
        )
    return spec.award(
        0.6 if n <= 150 else 0.3 if n <= 200 else 0.0,
        f"{said}: longer than the {low}-{high} words that get the most replies.",
        f"Cut to {high} words or fewer: keep the fact, the value and the ask; drop the rest.",
    )


def _call_length(spec: CheckSpec, n: int) -> Check:
    seconds = round(n / WORDS_PER_MINUTE * 60)
    low, high = CALL_SECONDS
    said = f"{n} words, about {seconds} seconds at {WORDS_PER_MINUTE} words a minute"
    if low <= seconds <= high:
        return spec.award(1, f"{said}: a good length for an opener.")
    if seconds < low:
        return spec.award(
            0.6 if seconds >= 14 else 0.3,
            f"{said}: too short to earn the next minute.",
            "Add why you are calling this person and what is in it for them (aim for ~30 s).",
        )
    words = f"{low * WORDS_PER_MINUTE // 60}-{high * WORDS_PER_MINUTE // 60} words"
    return spec.award(
        0.6 if seconds <= 50 else 0.3 if seconds <= 60 else 0.0,
        f"{said}: the prospect will interrupt before you reach the point.",
        f"Cut to {low}-{high} seconds ({words}): why you are calling, one fact, one question.",
    )


_FAKE_THREAD_RE = re.compile(r"\s*(?:re|fwd?|fw)\s*:", re.IGNORECASE)


def subject_check(message: Message, first_touch: bool) -> Check | str:
    spec = SPEC["subject"]
    if message.channel != "email":
        return f"a {message.channel} message has no subject line"
    raw = message.subject or ""
    subject = raw.strip()
    if not subject:
        if not first_touch:
            return spec.award(1, "No new subject: sent as a reply in the first email's thread.")
        return spec.award(
            0,
            "No subject line: emails without one get far fewer replies.",
            "Add a subject of 3-4 plain words about their situation.",
        )
    start = raw.index(subject)
    whole = [Evidence.span("subject", raw, start, start + len(subject))]
    fake = _FAKE_THREAD_RE.match(raw)
    if fake:
        subject = subject[fake.end() - (len(raw) - len(raw.lstrip())) :].strip() or subject
    return _subject_style(spec, subject, whole)


def _subject_style(spec: CheckSpec, subject: str, whole: list[Evidence]) -> Check:
    problems: list[tuple[float, str, str]] = []
    letters = [c for c in subject if c.isalpha()]
    n_words = len(text.word_strings(subject))
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        problems.append((0.6, "written in capitals", "Write the subject in normal case."))
    if len(subject) > SUBJECT_MAX_CHARS:
        problems.append(
            (
                0.4,
                f"{len(subject)} characters long",
                f"Cut the subject to {SUBJECT_MAX_CHARS} characters or fewer.",
            )  # fmt: skip
        )
    elif not SUBJECT_WORDS[0] <= n_words <= SUBJECT_WORDS[1]:
        problems.append((0.2, f"{n_words} words long", "Use 3-4 words in the subject."))
    if text.spam_phrases(subject):
        problems.append((0.4, "using a spam-trigger phrase", "Drop hype words from the subject."))
    if "!" in subject:
        problems.append((0.2, "shouting with “!”", "Drop the exclamation mark from the subject."))
    if not problems:
        return spec.award(1, f"Short, plain subject ({n_words} words).", evidence=whole)
    what = ", ".join(p[1] for p in problems)
    return spec.award(1 - sum(p[0] for p in problems), f"Subject is {what}.", problems[0][2], whole)


def readability_check(body: Body) -> Check | str:
    spec = SPEC["readability"]
    core = body.core
    if body.core_words < MIN_STYLE_WORDS:
        return f"fewer than {MIN_STYLE_WORDS} words: too little text to measure"
    r = text.readability(body.sentence_words[i] for i in core)
    level = r.grade_level
    said = (
        f"Flesch-Kincaid grade {level:.1f} (reading ease {r.reading_ease:.0f}, "
        f"{r.words_per_sentence:.0f} words a sentence)"
    )
    longest = max(core, key=lambda i: len(body.sentence_words[i]))
    n_longest = len(body.sentence_words[longest])
    if level <= READABLE_GRADE and n_longest <= MAX_SENTENCE_WORDS:
        return spec.award(1, f"{said}: easy to read.")
    fraction = band(level, READABILITY_BANDS)
    if n_longest > MAX_SENTENCE_WORDS:
        fraction = min(fraction, 0.5)
        said += f"; one sentence runs {n_longest} words"
        worst = longest
    else:
        worst = max(core, key=lambda i: _difficulty(body.sentence_words[i]))
    return spec.award(
        fraction,
        f"{said}: harder to read than it needs to be.",
        "Split the quoted sentence and swap long words for short ones "
        f"(aim for grade {READABLE_GRADE:g} or lower, {MAX_SENTENCE_WORDS} words a sentence "
        "at most).",
        [body.span(body.sentences[worst])],
    )


def _difficulty(ws: Sequence[str]) -> float:
    """Flesch-Kincaid terms for one sentence: long sentences and long words both count."""
    if not ws:
        return 0.0
    return 0.39 * len(ws) + 11.8 * sum(map(text.syllables, ws)) / len(ws)


def spam_check(body: Body, message: Message) -> tuple[Check | str, int]:
    """The spam check and the number of spam signals (each phrase, any capitals, any "!!")."""
    spec = SPEC["spam"]
    subject = message.subject or ""
    hits = [body.span(s) for s in text.spam_phrases(body.text)]
    hits += [Evidence.span("subject", subject, s.start, s.end) for s in text.spam_phrases(subject)]
    count = len(hits)
    shouted = text.shouted_words(body.text, [body.sentences[i] for i in body.core])
    if shouted:
        count += 1
        hits += [body.span(s) for s in shouted]
    marks = text.exclamations(body.text)
    if sum(s.end - s.start for s in marks) >= 2:
        count += 1
        hits += [body.span(s) for s in marks]
    if not count:
        if body.core_words < MIN_STYLE_WORDS:
            return f"fewer than {MIN_STYLE_WORDS} words: too little text to judge", 0
        return spec.award(1, "No spam-trigger phrases, capitals or exclamation runs."), 0
    check = spec.award(
        {1: 0.6, 2: 0.2}.get(count, 0.0),
        f"{count} spam signal{'s' if count > 1 else ''}, starting with “{hits[0].quote}”.",
        "Remove the quoted phrases, capitals and extra exclamation marks.",
        hits,
    )
    return check, count


def focus_check(body: Body) -> Check | str:
    spec = SPEC["prospect_focus"]
    core = body.core
    counts = {i: text.focus_counts(body.sentence_words[i]) for i in core}
    you = sum(c[0] for c in counts.values())
    own = sum(c[1] for c in counts.values())
    if you + own == 0:
        return "the message says neither 'you' nor 'I'/'we', so there is no focus to weigh"
    said = f"{you} × you/your, {own} × I/we/our"
    if you >= own:
        return spec.award(1, f"Talks about the prospect: {said}.")
    ratio = you / (you + own)
    worst = max(core, key=lambda i: counts[i][1])
    return spec.award(
        0.6 if ratio >= 0.35 else 0.3 if ratio >= 0.2 else 0.0,
        f"Talks more about the sender than the prospect: {said}.",
        "Rewrite the quoted sentence around the prospect: start from “you” or “your”.",
        [body.span(body.sentences[worst])],
    )
