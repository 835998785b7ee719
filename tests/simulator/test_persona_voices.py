"""No two personas sound identical (issue 14, item 3): a persona's voice is its own.

A voice is heard in *which wording* a buyer or their gatekeeper reaches for, not in the
names filled into it, so every text here has the persona's own values (names, company,
tool, pain, amount) put back as placeholders before it is compared. The per-turn draw is
the same for every persona (as for two learners who dial different contacts at the same
point of their runs): only the persona differs.
"""

from __future__ import annotations

from functools import cache

from simulator.buyers import Persona, persona_for
from simulator.call_machine import open_call, respond
from simulator.call_state import Turn
from simulator.exercises import build_world, exercise_spec
from simulator.seeds import Stream

#: Lines any buyer may say on any call, whatever their truth (the voice's fingerprint).
BUYER_KEYS = (
    "buyer.greet",
    "buyer.who_is_this",
    "buyer.permission_yes",
    "buyer.go_on",
    "buyer.pitch_cut",
    "buyer.closed_yes",
    "buyer.closed_no",
    "buyer.deflect",
    "buyer.hang_up",
)
GATEKEEPER_KEYS = ("gatekeeper.greet", "gatekeeper.who_calling", "gatekeeper.put_through")
#: Worlds sampled: every contact of each (several hundred personas in all).
WORLDS = (("cold-email-dental", 36), ("capstone-local-gyms", 3), ("cold-call-gatekeeper", 5))
#: Distinct transcripts of the same scripted call per 100 personas, at least. Truth alone
#: (which objection, which answer) gives a few dozen; voices must do the rest.
SCRIPT_FLOOR = 95


@cache
def _personas() -> list[Persona]:
    out = []
    for exercise, seed in WORLDS:
        world = build_world(exercise_spec(exercise), seed)
        out += [persona_for(world, c) for c in world.contacts]
    return out


def _plain(text: str, persona: Persona) -> str:
    """The wording with the persona's own values put back as placeholders."""
    values = {
        "{company}": persona.company,
        "{gk}": persona.gatekeeper.name if persona.gatekeeper else None,
        "{title}": persona.title,
        "{vendor}": persona.vendor,
        "{amount}": persona.budget_money,
        "{decider}": persona.decider,
        "{pain}": persona.pain,
        "{first_name}": persona.first_name,
    }
    for mark, value in sorted(values.items(), key=lambda kv: -len(kv[1] or "")):
        if value:
            text = text.replace(value, mark).replace(value[:1].upper() + value[1:], mark)
    return text


def _fingerprint(persona: Persona) -> tuple[object, ...]:
    """Temperament and the wording of each common line (one call, one draw per turn)."""
    call = open_call(persona, 0)
    said = []
    for n, key in enumerate(BUYER_KEYS):
        turn = Turn(call, persona, Stream(n), n)
        turn.say(key)
        said.append(_plain(turn.lines[0]["text"], persona))
    if persona.gatekeeper is not None:
        for n, key in enumerate(GATEKEEPER_KEYS):
            turn = Turn(call, persona, Stream(100 + n), n)
            turn.say(key, "gatekeeper")
            said.append(_plain(turn.lines[0]["text"], persona))
    return (persona.temperament, *said)


def test_no_two_personas_share_a_voice() -> None:
    personas = _personas()
    assert len(personas) >= 300
    seen: dict[tuple[object, ...], str] = {}
    twins = []
    for persona in personas:
        fingerprint = _fingerprint(persona)
        if fingerprint in seen:
            twins.append((seen[fingerprint], persona.contact_id))
        seen.setdefault(fingerprint, persona.contact_id)
    assert not twins, f"{len(twins)} personas sound like another: {twins[:5]}"


def test_a_voice_is_the_same_on_every_call() -> None:
    persona = _personas()[7]
    assert _fingerprint(persona) == _fingerprint(persona)


#: One scripted call, as the language layer reads it (stored readings: no parsing here).
SCRIPT = [
    {"acts": ["identify", "permission", "reason"], "targets": []},
    {"acts": ["acknowledgement", "open_question"], "targets": ["need"]},
    {"acts": ["open_question"], "targets": ["authority"]},
    {"acts": ["closed_question"], "targets": ["timeline"]},
    {"acts": ["pitch"], "targets": []},
    {"acts": ["acknowledgement"], "targets": []},
]


def _scripted(persona: Persona) -> tuple[str, ...]:
    call = open_call(persona, 0)
    call.phase = "opening"  # straight to the buyer: the gatekeeper has its own fingerprint
    said = []
    for n, reading in enumerate(SCRIPT):
        call.turns.append({"speaker": "learner", "text": "-"})
        full = {"words": 15, "first_acts": reading["acts"][:1], **reading}
        lines = respond(call, persona, full, proposal=None, names_buyer=False, rng=Stream(n))
        said += [_plain(line["text"], persona) for line in lines]
        if call.phase == "ended":
            break
    return tuple(said)


def test_the_same_call_to_a_hundred_personas_sounds_different_every_time() -> None:
    personas = _personas()
    for start in range(0, len(personas) - 99, 100):
        sample = personas[start : start + 100]
        distinct = len({_scripted(p) for p in sample})
        assert distinct >= SCRIPT_FLOOR, f"personas {start}-{start + 99}: {distinct} distinct"
