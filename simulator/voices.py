"""Voices: prospects who do not all sound alike, and who never break the grammar.

Each contact has a temperament (warm, brisk or guarded), drawn from their id alone, so the
same person sounds the same in every reply and on every call without changing the world.
Texts come from data/voices.yaml: per reply kind and per discovery answer, three per
temperament (some hedged or partial), each true to the hidden state the kind reveals.
Written replies get a greeting and a sign-off in the same voice; spoken ones do not.

Grammar: a pain is a noun phrase, placed only where any noun phrase fits; a segment's noun
gets its article here (``with_article``); amounts get the currency of the contact's country
(currency.py).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .market import Contact
from .seeds import Stream, derive_seed

DATA = Path(__file__).resolve().parent / "data" / "voices.yaml"
#: Three answers per temperament, in the order of ``temperaments`` in voices.yaml.
PER_TEMPERAMENT = 3
#: Criteria that share their truth share their answers (BANT and CHAMP names).
ANSWER_POOL = {
    "budget": "budget",
    "money": "budget",
    "authority": "authority",
    "need": "need",
    "challenges": "need",
    "timeline": "timeline",
    "prioritization": "timeline",
}


@cache
def voices() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return data


def temperament(contact: Contact) -> str:
    """The contact's voice: stable for the person, independent of every world draw."""
    return str(Stream(derive_seed(contact.id, "voice")).pick(voices()["temperaments"]))


def with_article(noun: str) -> str:
    """ "a gym", "an office", "an SDR team" (by sound for the few initialisms we use)."""
    first = noun.split()[0] if noun.split() else noun
    vowel_sound = first[:1].lower() in "aeiou" or (first.isupper() and first[:1] in "FHLMNRSX")
    return f"{'an' if vowel_sound else 'a'} {noun}"


def reply_voice(
    kind: str, contact: Contact, values: dict[str, str], rng: Stream, *, spoken: bool
) -> str:
    """A reply of ``kind`` in the contact's voice (greeting and sign-off when written)."""
    data = voices()
    mood = temperament(contact)
    body = str(rng.pick(data["replies"][kind][mood]).format(**values))
    body = body[:1].upper() + body[1:]
    if spoken:
        return body
    greeting = rng.pick(data["greetings"][mood]).format(**values)
    signoff = rng.pick(data["signoffs"][mood]).format(**values)
    return "\n\n".join(part for part in (greeting, body, signoff) if part)


def answer_voice(
    criterion: str, holds: bool, contact: Contact, fill: dict[str, str], rng: Stream
) -> str:
    """A discovery answer about ``criterion`` in the contact's voice."""
    data = voices()
    options = data["answers"][ANSWER_POOL[criterion]]["yes" if holds else "no"]
    start = data["temperaments"].index(temperament(contact)) * PER_TEMPERAMENT
    text = str(rng.pick(options[start : start + PER_TEMPERAMENT])).format(**fill)
    return text[:1].upper() + text[1:]


def small_talk(question_id: str, rng: Stream) -> str:
    return str(rng.pick(voices()["answers"]["none"][question_id]))
