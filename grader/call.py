"""Call rubric: a live cold call, graded from its transcript and what the call earned.

The submission is the transcript (``turns``: who spoke and what they said). The context
is what the engine knows and the learner's words do not show: the buyer's truth, which
facts the call uncovered and on which learner turn, the objections raised and after which
turn, the meeting agreed, and where the buyer asked not to be called again. The grader
re-reads every learner turn with its own language layer (grader.conversation), so the
evidence quotes the learner's own words with their offsets (``turns[4].text``).

Learner turns are counted from 0 in the order they were said; the context refers to them
by that count (``revealed: {"budget": 3}`` means the fourth thing the learner said earned
the budget).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.call_objections import grade_objections
from grader.conversation import TurnReading, read_turn
from grader.conversation.facts import bant
from grader.fields import CONTEXT, SUBMISSION
from grader.language import language
from grader.results import Evidence, Grade
from grader.rubric import CheckSpec, Gate, GradeBuilder, band, ratio_text, specs_by_id

RUBRIC_ID = "call"
RUBRIC_VERSION = "1.1.0"
KIND = "call"
MAX_TURNS = 400
TURN_CHARS = 20_000
SPEAKERS = ("learner", "buyer", "gatekeeper")
#: Facts a discovery call is scored on (BANT; CHAMP's names map onto them).
DISCOVERY_FACTS = ("need", "budget", "authority", "timeline")
QUESTION_ACTS = frozenset({"open_question", "closed_question", "leading_question"})
#: Share of the words the caller may speak before talk ratio costs points. Simulated
#: buyers answer in a sentence or two, so the bands sit above the "a little under half"
#: vendors report for top discovery calls (docs/rubrics.md).
TALK_BANDS = ((0.65, 1.0), (0.8, 0.5))

CHECKS = (
    CheckSpec(
        "gatekeeper",
        10,
        "Past the gatekeeper: says who is calling and whom they want, gives a reason when"
        " asked, and is put through (skipped when the buyer answers their own phone).",
    ),
    CheckSpec(
        "opener",
        15,
        "The first words to the buyer say who is calling (5), ask permission or set an"
        " upfront contract (4) and give the reason for the call (6).",
    ),
    CheckSpec(
        "question_quality",
        15,
        "At least half the questions are open (8), none leading (3), and the caller speaks"
        " at most 65% of the words (4; half at 80%).",
    ),
    CheckSpec(
        "discovery",
        20,
        "Need, budget, authority and timeline uncovered by the caller's questions (5 each).",
    ),
    CheckSpec(
        "objection_handling",
        20,
        "Each objection answered by first acknowledging it (acknowledgement, label or"
        " mirror), then asking or reframing, without arguing or pitching (skipped when the"
        " buyer raised none).",
    ),
    CheckSpec(
        "next_step",
        10,
        "A meeting agreed with a day and a time (full); a meeting asked for without a time (half).",
    ),
    CheckSpec(
        "compliance",
        10,
        "Named themselves to the buyer (4), no rude or pushy turn (3), stopped at a"
        " do-not-call request (3).",
    ),
)
SPEC = specs_by_id(CHECKS)
#: Checks an objection drill (context ``drill``) skips: the buyer only raises objections.
DRILL_SKIPS = ("gatekeeper", "opener", "question_quality", "discovery", "next_step")


@dataclass(frozen=True)
class _Said:
    """One learner turn: its index in ``turns``, its count among learner turns, reading."""

    index: int
    ordinal: int
    reading: TurnReading

    @property
    def field(self) -> str:
        return f"turns[{self.index}].text"

    def quote(self, note: str, acts: frozenset[str] | None = None) -> Evidence:
        """The sentence showing ``acts`` (or the first sentence), quoted from the turn."""
        text = self.reading.text
        spans = self.reading.sentences
        chosen = next((s for s in spans if acts is None or s.acts & acts), None)
        if chosen is None:
            return Evidence.span(self.field, text, 0, len(text), note)
        return Evidence.span(self.field, text, chosen.start, chosen.end, note)


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    turns = _turns(submission)
    ctx = _context(context)
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, KIND, CHECKS)
    lang = language()
    names = (str(ctx["sender_name"]), str(ctx["sender_company"]))
    said: list[_Said] = []
    previous = ""
    for i, (speaker, text) in enumerate(turns):
        if speaker == "learner":
            reading = read_turn(text, lang, previous=previous, caller_names=names)
            said.append(_Said(i, len(said), reading))
        else:
            previous = text
    if not said:
        for spec in CHECKS:
            builder.add(
                spec.award(0, "Nothing was said on a call: there is nothing to grade.", _ADVICE)
            )
        return builder.build()
    first_buyer = next((i for i, (s, _) in enumerate(turns) if s == "buyer"), None)
    if ctx["drill"]:
        for check_id in DRILL_SKIPS:
            builder.skip(check_id, "An objection drill grades only the answers to objections.")
        _objections(builder, said, ctx)
        _compliance(builder, said, said, ctx)
        return builder.build()
    _gatekeeper(builder, turns, said, first_buyer)
    to_buyer = [s for s in said if first_buyer is not None and s.index > first_buyer]
    _opener(builder, to_buyer)
    _questions(builder, turns, said)
    _discovery(builder, said, ctx)
    _objections(builder, said, ctx)
    _next_step(builder, said, ctx)
    _compliance(builder, to_buyer, said, ctx)
    rude = [s for s in said if "rude" in s.reading.acts]
    if rude and ctx["stop_after"] is not None:
        gate = Gate(
            "the buyer asked never to be called again after a rude turn",
            "Stay courteous whatever the buyer says: one rude turn loses the prospect for good.",
            (rude[0].quote("rude", frozenset({"rude"})),),
        )
        builder.gate(gate, [spec.id for spec in CHECKS if spec.id != "compliance"])
    return builder.build()


_ADVICE = "Start a call with the prospect, talk it through, then hand it in."


def _turns(submission: Mapping[str, object]) -> list[tuple[str, str]]:
    raw = SUBMISSION.sequence(submission.get("turns", []), "turns", max_items=MAX_TURNS)
    out = []
    for i, item in enumerate(raw):
        turn = SUBMISSION.mapping(item, f"turns[{i}]")
        speaker = SUBMISSION.choice(turn.get("speaker"), f"turns[{i}].speaker", SPEAKERS)
        out.append((speaker, SUBMISSION.text(turn.get("text"), f"turns[{i}].text")))
    return out


def _context(context: Mapping[str, object]) -> dict[str, object]:
    sender = CONTEXT.optional_mapping(context.get("sender"), "sender")
    truth = CONTEXT.optional_mapping(context.get("truth"), "truth")
    revealed = CONTEXT.optional_mapping(context.get("revealed"), "revealed")
    meeting = CONTEXT.optional_mapping(context.get("meeting"), "meeting")
    objections = CONTEXT.sequence(context.get("objections", []), "objections")
    stop = context.get("stop_after")
    return {
        "sender_name": CONTEXT.text(sender.get("name", ""), "sender.name", max_chars=200),
        "sender_company": CONTEXT.text(sender.get("company", ""), "sender.company", max_chars=200),
        "truth": {bant(k): v for k, v in truth.items()},
        "revealed": {
            bant(k): CONTEXT.integer(v, f"revealed.{k}", minimum=0) for k, v in revealed.items()
        },
        "objections": [
            (
                CONTEXT.text(CONTEXT.mapping(o, f"objections[{i}]").get("kind"), "kind"),
                CONTEXT.integer(
                    CONTEXT.mapping(o, f"objections[{i}]").get("after"), "after", minimum=-1
                ),
            )
            for i, o in enumerate(objections)
        ],
        "meeting": dict(meeting) if meeting.get("at") else None,
        "stop_after": None if stop is None else CONTEXT.integer(stop, "stop_after", minimum=0),
        "drill": context.get("drill") is True,
        "drill_objections": [
            CONTEXT.text(k, f"drill_objections[{i}]", max_chars=100)
            for i, k in enumerate(CONTEXT.sequence(context.get("drill_objections", []), "drill"))
        ],
    }


def _gatekeeper(
    builder: GradeBuilder,
    turns: Sequence[tuple[str, str]],
    said: list[_Said],
    first_buyer: int | None,
) -> None:
    spec = SPEC["gatekeeper"]
    if not turns or turns[0][0] != "gatekeeper":
        builder.skip("gatekeeper", "The buyer answered their own phone: no gatekeeper.")
        return
    before = [s for s in said if first_buyer is None or s.index < first_buyer]
    named = next((s for s in before if "identify" in s.reading.acts), None)
    evidence = [s.quote("what you told the gatekeeper") for s in before[:3]]
    if first_buyer is not None:
        short = len(before) <= 2
        builder.add(
            spec.award(
                1.0 if named and short else 0.75,
                f"Put through after {len(before)} turn(s)"
                + ("" if named else ", without saying who you are"),
                "Say your name and company and whom you want in your first sentence.",
                evidence,
            )
        )
        return
    builder.add(
        spec.award(
            0.2 if named else 0.0,
            "The gatekeeper did not put you through.",
            "Give your name and company, ask for the person by name, and have a one-line"
            " reason ready; ask the gatekeeper for help rather than pushing.",
            evidence,
        )
    )


def _opener(builder: GradeBuilder, to_buyer: list[_Said]) -> None:
    spec = SPEC["opener"]
    if not to_buyer:
        builder.add(spec.award(0, "You never spoke to the buyer.", "Get through to the buyer."))
        return
    opening = to_buyer[:2]  # the buyer may ask "who is this?" once: the answer still counts
    acts = frozenset().union(*(s.reading.acts for s in opening))
    parts = [
        ("identify", 5, "said who is calling"),
        ("permission", 4, "asked permission"),
        ("reason", 6, "gave a reason for the call"),
    ]
    earned = [(act, pts, label) for act, pts, label in parts if act in acts]
    if "reason" not in acts and "pitch" in acts:
        earned.append(("pitch", 3, "pitched instead of a reason (half)"))
    points = sum(pts for _, pts, _ in earned)
    missing = [label for act, _, label in parts if act not in acts]
    evidence = [s.quote("your opener", frozenset(a for a, _, _ in earned) or None) for s in opening]
    builder.add(
        spec.award(
            points / 15,
            "Your opener " + (", ".join(label for _, _, label in earned) or "did none of this"),
            "Missing: " + ", ".join(missing) + "." if missing else "",
            evidence,
        )
    )


def _questions(builder: GradeBuilder, turns: Sequence[tuple[str, str]], said: list[_Said]) -> None:
    spec = SPEC["question_quality"]
    questions = [
        (s, sent) for s in said for sent in s.reading.sentences if sent.acts & QUESTION_ACTS
    ]
    asking = [
        q for q in questions if not q[1].acts & {"permission", "next_step", "transfer", "rude"}
    ]
    open_ = [q for q in asking if "open_question" in q[1].acts]
    leading = [q for q in asking if "leading_question" in q[1].acts]
    mine = sum(s.reading.words for s in said)
    words = mine + sum(len(text.split()) for speaker, text in turns if speaker != "learner")
    talk = mine / words if words else 1.0
    share = len(open_) / len(asking) if asking else 0.0
    fraction = (8 * min(1.0, share / 0.5) + (3 if asking and not leading else 0)) / 15
    fraction += 4 * band(talk, TALK_BANDS) / 15 if asking else 0.0  # no questions, no credit
    evidence = [
        Evidence.span(f"turns[{s.index}].text", s.reading.text, q.start, q.end, note)
        for (s, q), note in [(q, "open question") for q in open_[:3]]
        + [(q, "leading question") for q in leading[:3]]
    ]
    builder.add(
        spec.award(
            fraction,
            f"Open questions: {ratio_text(len(open_), len(asking))}; leading: {len(leading)};"
            f" you spoke {talk:.0%} of the words.",
            "Ask open questions (what, how, tell me about...) and let the buyer talk.",
            evidence,
        )
    )


def _discovery(builder: GradeBuilder, said: list[_Said], ctx: Mapping[str, object]) -> None:
    spec = SPEC["discovery"]
    revealed: Mapping[str, int] = ctx["revealed"]  # type: ignore[assignment]
    by_ordinal = {s.ordinal: s for s in said}
    found = [f for f in DISCOVERY_FACTS if f in revealed]
    evidence = [
        by_ordinal[revealed[f]].quote(f"earned the {f}", frozenset(QUESTION_ACTS))
        for f in found
        if revealed[f] in by_ordinal
    ]
    missing = [f for f in DISCOVERY_FACTS if f not in revealed]
    builder.add(
        spec.award(
            len(found) / len(DISCOVERY_FACTS),
            f"Uncovered {ratio_text(len(found), len(DISCOVERY_FACTS))}: "
            + (", ".join(found) or "nothing"),
            "Still unknown: " + ", ".join(missing) + ". Ask an open question about each.",
            evidence,
        )
    )


def _objections(builder: GradeBuilder, said: list[_Said], ctx: Mapping[str, object]) -> None:
    raised: list[tuple[str, int]] = list(ctx["objections"])  # type: ignore[call-overload]
    # A drill's objections the caller never reached (they hung up first) are unanswered.
    reached = {kind for kind, _ in raised}
    never = -2  # no turn follows it: grade_objections finds no answer
    drill: list[str] = ctx["drill_objections"]  # type: ignore[assignment]
    raised += [(kind, never) for kind in drill if kind not in reached]
    grade_objections(builder, SPEC["objection_handling"], raised, {s.ordinal: s for s in said})


def _next_step(builder: GradeBuilder, said: list[_Said], ctx: Mapping[str, object]) -> None:
    spec = SPEC["next_step"]
    meeting: Mapping[str, object] | None = ctx["meeting"]  # type: ignore[assignment]
    asks = [s for s in said if "next_step" in s.reading.acts]
    evidence = [s.quote("your ask for a next step", frozenset({"next_step"})) for s in asks[-2:]]
    if meeting:
        builder.add(
            spec.award(
                1.0, f"Meeting agreed for {meeting.get('local') or meeting['at']}.", "", evidence
            )
        )
    elif asks:
        builder.add(
            spec.award(
                0.5,
                "You asked for a meeting, but none was agreed with a day and a time.",
                "Propose a specific weekday and time in the buyer's time zone.",
                evidence,
            )
        )
    else:
        builder.add(spec.award(0, "You never asked for a next step.", "Ask for a meeting."))


def _drill_share(ctx: Mapping[str, object]) -> float:
    """The share of a drill's objections the caller reached: courtesy through one line of
    a nine-objection drill is worth a ninth of it, so hanging up early earns nothing."""
    drill: list[str] = ctx["drill_objections"]  # type: ignore[assignment]
    raised: list[tuple[str, int]] = ctx["objections"]  # type: ignore[assignment]
    return 1.0 if not drill else min(1.0, len(raised) / len(drill))


def _compliance(
    builder: GradeBuilder, to_buyer: list[_Said], said: list[_Said], ctx: Mapping[str, object]
) -> None:
    spec = SPEC["compliance"]
    drill = bool(ctx["drill"])  # the drill's buyer knows who is calling: naming is not graded
    named = drill or any("identify" in s.reading.acts for s in to_buyer[:2])
    harsh = [s for s in said if {"rude", "pushy"} & s.reading.acts]
    stop = ctx["stop_after"]
    kept_on = [s for s in said if isinstance(stop, int) and s.ordinal > stop]
    courtesy = 3 * (not harsh) + 3 * (not kept_on)
    points = courtesy * 10 / 6 * _drill_share(ctx) if drill else 4 * named + courtesy
    evidence = [s.quote("rude or pushy", frozenset({"rude", "pushy"})) for s in harsh[:3]]
    evidence += [s.quote("said after the buyer asked you to stop") for s in kept_on[:2]]
    problems = (["you did not say who you are"] if not named else []) + (
        [f"{len(harsh)} rude or pushy turn(s)"] if harsh else []
    )
    if stop is not None:
        problems.append("the buyer asked not to be called again")
    builder.add(
        spec.award(
            points / 10,
            "Compliant call." if not problems else "; ".join(problems).capitalize() + ".",
            "Name yourself and your company to the buyer, stay courteous, and stop when asked.",
            evidence,
        )
    )
