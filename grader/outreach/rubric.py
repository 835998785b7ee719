"""The outreach rubric: its checks, their points, and the thresholds behind them.

Thresholds come from shared/research/domain.md: emails of 50-125 words (Boomerang), with
25-50 words also fine for cold openers (Lavender); LinkedIn cuts connection notes at 300
characters; a call opener is about 30 seconds of speech at about 150 words a minute;
subjects of 3-4 words (Boomerang) or up to ~50 characters (Backlinko); interest-based asks
beat meeting requests 12% to 7% (Gong); a 3rd-grade reading level beat college level 53%
to 39% (Boomerang); CAN-SPAM requires an opt-out and a postal address in commercial email.
"""

from __future__ import annotations

from grader.rubric import CheckSpec, specs_by_id

RUBRIC_ID = "outreach"
RUBRIC_VERSION = "2.0.0"

CHECKS = (
    CheckSpec(
        "greeting",
        5,
        "Greets the prospect by their own name (a nickname or title and surname count), "
        "with no unfilled merge field.",
    ),
    CheckSpec(
        "personalization",
        15,
        "States a specific fact about this prospect correctly: their company, not negated "
        "or turned around, in a real sentence.",
    ),
    CheckSpec("relevance", 10, "Speaks to the prospect's pain, and to their role or industry."),
    CheckSpec(
        "value",
        10,
        "Email and call: states a believable result for the prospect, backed by a figure or "
        "a customer.",
    ),
    CheckSpec(
        "call_to_action",
        10,
        "One clear, low-pressure ask (interest, the right person, permission, a resource, "
        "their opinion, or a meeting), never a loaded question.",
    ),
    CheckSpec(
        "tone", 5, "Respectful: no criticism of the prospect or their people, no guilt or fear."
    ),
    CheckSpec(
        "honesty",
        5,
        "No invented history or fake Re:, no misstated fact, no implausible or made-up claim.",
    ),
    CheckSpec("coherence", 5, "Reads as English sentences: no keyword lists or word salad."),
    CheckSpec(
        "channel_fit",
        10,
        "LinkedIn: a reason to connect and no pitch. Call: permission or an upfront contract, "
        "the reason for the call, an open question, no 'how are you today?'.",
    ),
    CheckSpec(
        "length",
        5,
        "Fits the channel: email 50-125 words, LinkedIn note 80-300 characters, "
        "call opener 20-40 seconds of speech.",
    ),
    CheckSpec(
        "subject",
        5,
        "Email only: a subject of 2-7 words and at most 50 characters, not in capitals.",
    ),
    CheckSpec(
        "readability",
        5,
        "Plain words, short sentences: Flesch-Kincaid grade 7 or lower, no sentence over 30 words.",
    ),
    CheckSpec(
        "spam",
        5,
        "No spam-trigger or hype phrases, no words in capitals, at most one exclamation mark.",
    ),
    CheckSpec(
        "prospect_focus",
        5,
        "Says 'you'/'your' at least as often as 'I'/'we'/'our'.",
    ),
    CheckSpec(
        "compliance",
        10,
        "Email: an opt-out line and the sender's postal address. Call: says who is calling "
        "and from where. Never any message to a do-not-contact prospect.",
    ),
    CheckSpec(
        "language",
        10,
        "Written in English, the language this rubric reads (judged only when it is not).",
    ),
)
SPEC = specs_by_id(CHECKS)

CHANNELS = ("email", "linkedin", "call")
EMAIL_WORDS = (50, 125)
EMAIL_SHORT_WORDS = 25
LINKEDIN_MAX_CHARS = 300
LINKEDIN_MIN_CHARS = 80
WORDS_PER_MINUTE = 150
CALL_SECONDS = (20, 40)
SUBJECT_MAX_CHARS = 50
SUBJECT_WORDS = (2, 7)
READABLE_GRADE = 7.0
#: Flesch-Kincaid grade -> share of the readability points (above the last: none).
READABILITY_BANDS = ((READABLE_GRADE, 1.0), (9.0, 0.7), (11.0, 0.4), (13.0, 0.15))
MAX_SENTENCE_WORDS = 30

#: Spam signals from which a message reads as spam, and the reader stops (a gate).
SPAM_GATE_SIGNALS = 3

#: Checks that a gate (merge field, wrong name, spam, hostility, deceit, word salad, a pitch
#: in a connection note) leaves uncredited: the reader stopped, or stopped trusting.
READER_CHECKS = (
    "personalization",
    "relevance",
    "value",
    "call_to_action",
    "prospect_focus",
    "tone",
    "honesty",
    "coherence",
)
#: Words of the body outside the footer below which style checks have nothing to judge.
MIN_STYLE_WORDS = 12
