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
RUBRIC_VERSION = "1.0.0"

CHECKS = (
    CheckSpec(
        "greeting", 10, "Greets the prospect by their own first name, with no unfilled merge field."
    ),
    CheckSpec("personalization", 15, "Uses a specific fact about this prospect or company."),
    CheckSpec("relevance", 10, "Speaks to the prospect's pain, and to their role or industry."),
    CheckSpec("value", 10, "States a result for the prospect, backed by a figure or a customer."),
    CheckSpec(
        "call_to_action", 10, "Ends with exactly one clear, low-pressure ask about interest."
    ),
    CheckSpec(
        "length",
        10,
        "Fits the channel: email 50-125 words, LinkedIn note 80-300 characters, "
        "call opener 20-40 seconds of speech.",
    ),
    CheckSpec(
        "subject",
        5,
        "Email only: an honest subject of 2-7 words and at most 50 characters, "
        "not in capitals, no fake Re:/Fwd: on a first email.",
    ),
    CheckSpec(
        "readability",
        10,
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

#: Checks that a gate (merge field, wrong name, spam) leaves uncredited: the reader stopped.
READER_CHECKS = ("personalization", "relevance", "value", "call_to_action", "prospect_focus")
