"""The small word sets and patterns the turn readings anchor on (see ``acts``).

They name shapes, not phrases: the core verbs of an acknowledgement, the nouns of a
meeting, the words that make a day or a clock time. The parse does the rest.
"""

from __future__ import annotations

import re

WH = frozenset({"what", "how", "why", "who", "when", "where", "which", "whom", "whose"})
#: Words that may stand before the first real word of a sentence ("So, what...").
LEAD_IN = frozenset({"so", "and", "but", "okay", "ok", "well", "now", "oh", "right", "great"})
#: Verbs of telling: as an imperative to the caller's "me" they request an account.
TELL = frozenset({"tell", "walk", "describe", "explain", "share", "talk", "help", "give", "paint"})
#: A speaker's wish to learn ("I'm curious how...", "I'd love to understand what...").
CURIOUS = frozenset({"curious", "wonder", "know", "understand", "hear", "learn", "interested"})
#: Cores of an acknowledgement: said early and short, they show the buyer was heard.
ACK = frozenset(
    {
        "understand",
        "hear",
        "appreciate",
        "fair",
        "sense",
        "totally",
        "absolutely",
        "course",
        "respect",
        "reasonable",
        "understandable",
        "true",
        "point",
        "sorry",
        "thank",
        "thanks",
        "gotcha",
        "noted",
        "sure",
    }
)
#: "I hear you", "I get it", "I see": the speaker's own verb of taking something in.
HEARD = frozenset({"hear", "get", "see", "understand", "appreciate", "respect"})
#: Verbs whose subject "it" introduces a label ("It sounds like...", "Seems like...").
LABEL = frozenset({"sound", "seem", "look", "feel"})
#: Nouns (and verbs) that name a meeting.
MEETING = frozenset(
    {
        "meeting",
        "meet",
        "demo",
        "chat",
        "conversation",
        "calendar",
        "invite",
        "invitation",
        "appointment",
        "session",
        "walkthrough",
        "call",
    }
)
#: Asking to be put through to someone ("Could I speak to...", "Can you connect me to...").
TRANSFER = frozenset({"speak", "talk", "put", "connect", "reach", "transfer", "get"})
#: What a meeting ask does with the meeting ("be open to a call", "book a demo").
BOOKING = frozenset(
    {"open", "free", "available", "book", "schedule", "set", "put", "send", "grab", "find"}
    | {"worth", "arrange", "organise", "organize", "pencil", "suit", "work", "fit"}
)
#: What small talk is about.
SMALL_TALK = frozenset(
    {"weather", "weekend", "holiday", "vacation", "day", "week", "morning", "today", "be", "go"}
    | {"do", "it", "thing", "you", "how", "hope", "well", "everything", "life", "your", "i"}
)
#: Benefits a pitch claims when the caller ("I") is its subject.
BENEFIT = frozenset(
    {"help", "save", "increase", "reduce", "boost", "grow", "fill", "offer", "provide"}
    | {"guarantee", "deliver", "cut", "improve", "double", "triple", "solve", "fix"}
)
OBLIGE = frozenset({"need", "have", "must", "should", "gotta", "ought"})
DISMISSIVE = frozenset(
    {"shut", "whatever", "idiot", "stupid", "dumb", "ridiculous", "crap", "silly", "pathetic"}
    | {"nonsense", "rubbish", "clueless"}
)
CLOCK = re.compile(
    r"\d\s*(?:am|pm|a\.m\.|p\.m\.)|\d:\d\d|\bnoon\b|o'clock|\bat \d"
    r"|\bat (?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b",
    re.I,
)
DAY = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\btomorrow\b|\bnext week\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d",
    re.I,
)
