"""The words the whole project shares, each written once with its human label.

Industries, pipeline stages, channels, seniorities, regions and exercise kinds appear in
exercise files, in the engine's events, in the database and on pages. They live here
because of the import rules: ``course`` imports nothing of ours, while the engine
(``simulator``) and the platform (``leadworks``) may both import ``course``, so this is
the one module every layer can read. Qualification frameworks and decisions are not
here: the grader scores against them and imports nothing of ours, so it owns them
(``grader.qualification.FRAMEWORKS``, ``DECISIONS``) and the engine imports them from it.

Every vocabulary is a read-only mapping from key to label, in display order. The keys are
stored (exercise YAML, event logs, learner profiles): renaming one needs a migration of
what was stored; a label can change freely.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


def _labels(pairs: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(pairs)


#: The markets an exercise can be set in (one industry pack each in simulator/data).
INDUSTRIES: Mapping[str, str] = _labels(
    {
        "real_estate": "Real estate",
        "coaching_consulting": "Coaching and consulting",
        "medical_dental": "Medical and dental",
        "finance_insurance": "Finance and insurance",
        "saas": "Software and SaaS",
        "local_business": "Local businesses (gyms, clinics, salons)",
    }
)

#: The open pipeline stages, in the order a lead moves through them.
STAGES: tuple[str, ...] = ("lead", "mql", "sql", "opportunity", "customer")
#: Every stage a contact can be at: the open ones, then ``lost`` (reachable from any open one).
ALL_STAGES: tuple[str, ...] = (*STAGES, "lost")
STAGE_LABELS: Mapping[str, str] = _labels(
    {
        "lead": "Lead",
        "mql": "MQL",
        "sql": "SQL",
        "opportunity": "Opportunity",
        "customer": "Customer",
        "lost": "Lost",
    }
)

#: The channels an exercise may open to the learner.
CHANNELS: Mapping[str, str] = _labels(
    {
        "email": "Email",
        "linkedin": "LinkedIn",
        "call": "Call",
        "search_ads": "Search ads",
        "social_ads": "Social ads",
    }
)
#: Written messages (the ``send_message`` action): email and LinkedIn.
MESSAGE_CHANNELS: tuple[str, ...] = ("email", "linkedin")
#: One-to-one outreach: the written channels and the phone (outreach deliverables, policy steps).
OUTREACH_CHANNELS: tuple[str, ...] = (*MESSAGE_CHANNELS, "call")
#: Paid traffic (the ``spend`` action), bought at the industry's cost per lead.
PAID_CHANNELS: tuple[str, ...] = ("search_ads", "social_ads")
#: Where an inbound lead can come from: paid traffic, or the client's own website form.
INBOUND_SOURCES: Mapping[str, str] = _labels(
    {"search_ads": "Search ads", "social_ads": "Social ads", "form": "Website form"}
)

SENIORITIES: Mapping[str, str] = _labels(
    {
        "owner": "Owner",
        "c_level": "C-level",
        "vp": "VP",
        "director": "Director",
        "manager": "Manager",
        "staff": "Staff",
    }
)

#: The regions a market can span (one list of cities and a time-zone rule set each).
REGIONS: Mapping[str, str] = _labels(
    {"us": "United States", "uk": "United Kingdom", "ca": "Canada", "au": "Australia"}
)

#: The objections a buyer can raise on a live call (simulator/buyers.py raises them; an
#: objection drill lists them in ``deliverable.drill``; a test keeps the lists in step).
OBJECTIONS: Mapping[str, str] = _labels(
    {
        "not_interested": "Not interested",
        "send_email": "Send me an email",
        "how_got_number": "How did you get my number?",
        "bad_time": "This is a bad time",
        "already_use": "We already use a vendor",
        "no_budget": "No budget",
        "next_quarter": "Call me next quarter",
        "wrong_person": "I'm not the right person",
        "bad_experience": "We tried this before and it didn't work",
    }
)

#: The grader kinds a sandbox exercise can hand in. The grader's registry also grades
#: lesson quizzes (``quiz``), which are not sandbox exercises; a test keeps the two lists
#: in step, since this module may not import the grader.
EXERCISE_KINDS: Mapping[str, str] = _labels(
    {
        "prospect_list": "Prospect list",
        "outreach": "Outreach message",
        "sequence": "Follow-up sequence",
        "qualification": "Qualification",
        "report": "Pipeline report",
        "call": "Live call",
        "handoff": "Handoff note",
        "interview": "Mock interview",
    }
)

#: The questions a mock interview's hiring manager may ask (kind ``interview``), in the
#: order a deliverable lists them; each has its wordings in simulator/data/conversations.yaml.
INTERVIEW_QUESTIONS: Mapping[str, str] = _labels(
    {
        "why_sales": "Why sales, and why this role?",
        "setback": "A rejection or setback you handled",
        "organise_day": "How you organise a day",
        "missing_target": "A target you are missing",
    }
)
