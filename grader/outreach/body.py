"""One message body, split once into words and sentences and shared by every check."""

from __future__ import annotations

from dataclasses import dataclass

from grader import text
from grader.language import Language, Parsed
from grader.lexicon import COMPANY_SUFFIXES
from grader.outreach.footer import opt_out, postal_address
from grader.outreach.inputs import OutreachContext
from grader.results import Evidence
from grader.text import Span, Word


@dataclass(frozen=True)
class Body:
    """The body text with its words, sentences (and the words, stems and parse of each
    sentence), and where the opt-out and postal-address lines are."""

    text: str
    lang: Language
    sentences: list[Span]
    parsed: list[Parsed]
    sentence_words: list[list[str]]
    stems: list[frozenset[str]]
    opt_out: Span | None
    address: Span | None
    #: Indexes of the sentences outside the footer (the opt-out and address lines).
    core: list[int]

    @property
    def core_words(self) -> int:
        """Words outside the footer: what the prospect actually reads."""
        return sum(len(self.sentence_words[i]) for i in self.core)

    def at(self, i: int, start: int, end: int) -> Span:
        """A span of sentence ``i`` given in the sentence's own offsets (a parse's)."""
        base = self.sentences[i].start
        return Span(base + start, base + end)

    def stem_tokens(self, i: int, stems: frozenset[str]) -> list[int]:
        """Indexes of the tokens of sentence ``i`` whose stem is one of ``stems``."""
        return [
            j for j, t in enumerate(self.parsed[i].tokens) if text.content_stem(t.text) in stems
        ]

    @property
    def opening(self) -> int | None:
        """The first sentence after the greeting: the core sentence of four words or more."""
        return next((i for i in self.core if len(self.sentence_words[i]) >= 4), None)

    @property
    def footer(self) -> list[Span]:
        """Opt-out and address lines: required by law, so not held against length or style."""
        return [s for s in (self.opt_out, self.address) if s is not None]

    def span(self, span: Span, field: str = "body") -> Evidence:
        return Evidence.span(field, self.text, span.start, span.end)

    def words_of(self, i: int) -> list[Word]:
        """The words of sentence ``i`` with their offsets (found only when evidence needs them)."""
        span = self.sentences[i]
        return text.words(self.text, span.start, span.end)


def split_body(body: str, address_known: str | None, lang: Language) -> Body:
    """Split and parse a body once; every check reads the result."""
    spans = text.sentences(body)
    grouped = [text.word_strings(body, s.start, s.end) for s in spans]
    stems = [frozenset(map(text.content_stem, ws)) - {""} for ws in grouped]
    parsed = lang.parse_many([s.of(body) for s in spans])
    stop = opt_out(body, spans)
    address = postal_address(body, address_known)
    footer = [s for s in (stop, address) if s is not None]
    core = [
        i
        for i, s in enumerate(spans)
        if not any(f.start < s.end and s.start < f.end for f in footer)
    ]
    return Body(body, lang, spans, parsed, grouped, stems, stop, address, core)


@dataclass(frozen=True)
class Echo:
    """How well one fact or pain from the context is echoed by the best single sentence."""

    source: str
    shared: int
    share: float
    where: Span | None
    marked: bool

    @property
    def strength(self) -> str:
        """Strong: 2+ of its words, and at least a third of them. Weak: 2 words, or one
        marked word (a name or number from a fact; any word of a short pain). Else ""."""
        if self.shared >= 2 and self.share >= 0.3:
            return "strong"
        return "weak" if self.shared >= 2 or self.marked else ""


def echo(needle: str, body: Body, ignore: frozenset[str], *, any_word_marks: bool) -> Echo:
    """Find the sentence sharing the most content words with ``needle`` (a fact or pain)."""
    wanted = text.content_stems(needle) - ignore
    marks = wanted if any_word_marks else text.marked_stems(needle) - ignore
    best, where, marked = 0, None, False
    for i in body.core:
        span, stems = body.sentences[i], body.stems[i]
        common = wanted & stems
        if len(common) > best:
            best, where, marked = len(common), span, bool(common & marks)
    return Echo(needle, best, best / len(wanted) if wanted else 0.0, where, marked)


def name_stems(ctx: OutreachContext) -> frozenset[str]:
    """The prospect's and company's names: saying them is not echoing a fact."""
    p = ctx.prospect
    names = " ".join(x for x in (p.first_name, p.last_name, p.company) if x)
    return text.content_stems(names) if names else frozenset()


def short_company(company: str) -> str:
    """ "BrightSmile Dental Ltd" -> "BrightSmile Dental": people rarely write the suffix."""
    kept = [w for w in company.split() if w.lower() not in COMPANY_SUFFIXES]
    return " ".join(kept) or company
