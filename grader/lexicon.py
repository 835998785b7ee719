"""Word lists the text analysis relies on, kept apart from the algorithms that use them.

Changing a list can change scores: bump the affected rubric's version when you do (see
docs/rubrics.md, "Versioning").
"""

from __future__ import annotations

#: Function words ignored when comparing a message with a prospect's facts and pains.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just let me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves i'm i've i'll i'd you're you've you'll you'd
    we're we've we'll it's that's there's don't didn't isn't aren't wasn't won't can't
    hi hello hey dear thanks thank best regards cheers get got make made new recently
    one two three many much well really quick quickly know see saw noticed
    time times day days week weeks month months year years people thing things way lot lots
    business businesses company companies work working team good great like want look
    help helps helped use need needs open right
    """.split()
)

#: Pronouns that point at the reader versus at the sender (for the prospect-focus ratio).
YOU_WORDS = frozenset("you your yours yourself yourselves you're you've you'll you'd".split())
SELF_WORDS = frozenset(
    "i me my mine myself we us our ours ourselves i'm i've i'll i'd we're we've we'll we'd".split()
)

#: Words that name nobody in particular after "Hi": a generic greeting, not a wrong name.
GENERIC_ADDRESSEES = frozenset(
    """
    there team all everyone everybody folks friend friends sir madam sir/madam colleague
    colleagues hiring manager owner sirs guys and or to whom it may concern
    """.split()
)

#: Courtesy titles allowed before a last name ("Dear Dr Patel").
COURTESY_TITLES = frozenset("dr dr. mr mr. mrs mrs. ms ms. miss mx mx. prof prof.".split())

#: Legal suffixes dropped when looking for a company's name in a message.
COMPANY_SUFFIXES = frozenset(
    "ltd ltd. limited inc inc. llc llp plc co co. corp corp. gmbh group the & and".split()
)

#: All-caps words that are acronyms, not shouting.
ACRONYMS = frozenset(
    """
    HIPAA GDPR CCPA CASL PECR HVAC NASA SaaS B2B B2C CEO CFO COO CTO CMO CRM SEO ROI KPI
    NHS USA FAQ API AWS IPO LLC PLC GMBH HTML HTTP HTTPS MQL SQL SMS ICP BANT CHAMP
    """.split()
)

#: Spam phrases. The first seven come from shared/research/domain.md (section 3); "free" is
#: narrowed to offer phrases so "feel free" or "are you free Tuesday?" are not flagged. The
#: rest are classic hype phrases from the same vendor lists.
SPAM_PHRASES = (
    r"guarantee[ds]?",
    r"risk[- ]free",
    r"act now",
    r"limited[- ]time",
    r"cash",
    r"earn (?:extra |more )?money",
    r"(?:for|100%|totally|absolutely|completely) free",
    r"free (?:gift|trial|offer|money|bonus|access|quote|consultation)",
    r"click here",
    r"buy now",
    r"once in a lifetime",
    r"no obligation",
    r"double your (?:sales|revenue|income|leads|business)",
    r"you(?:'ve| have) been selected",
    r"winner",
    r"special promotion",
    r"lowest price",
    r"best price",
    r"don'?t miss (?:out|this)",
    r"100% (?:satisfied|guaranteed)",
)

#: Words that tie a message to an industry (keys are the course's industry keys).
INDUSTRY_TERMS: dict[str, frozenset[str]] = {
    "real_estate": frozenset(
        "estate property properties listing listings agent agents brokerage broker "
        "buyers sellers homes home viewings valuation valuations realtor realty lettings "
        "landlords tenants mortgage".split()
    ),
    "coaching_consulting": frozenset(
        "coach coaches coaching consultant consultants consulting consultancy clients "
        "client programme program programs sessions workshop workshops discovery "
        "mentoring advisory".split()
    ),
    "medical_dental": frozenset(
        "dental dentist dentists dentistry clinic clinics practice practices patient "
        "patients appointment appointments no-shows hygienist orthodontic chair recall "
        "medical physio physiotherapy".split()
    ),
    "finance_insurance": frozenset(
        "insurance insurer broker brokers brokerage policy policies policyholders premium "
        "premiums advisor advisors adviser advisers financial finance planner planners "
        "renewals renewal claims underwriting wealth mortgage".split()
    ),
    "saas": frozenset(
        "saas software platform trial trials churn onboarding arr mrr pipeline product "
        "subscription subscriptions users seats demo demos integration integrations "
        "startup startups".split()
    ),
    "local_business": frozenset(
        "gym gyms salon salons studio studios members membership memberships bookings "
        "booking walk-ins local neighbourhood neighborhood classes class shop shops "
        "clinic clinics appointments footfall".split()
    ),
}

#: Phrases that state an outcome for the prospect (the value check looks for one of these).
BENEFIT_VERBS = (
    r"cut(?:s|ting)?",
    r"reduc(?:e|es|ed|ing)",
    r"lower(?:s|ed|ing)?",
    r"increas(?:e|es|ed|ing)",
    r"boost(?:s|ed|ing)?",
    r"gr(?:ow|ows|ew|owing)",
    r"sav(?:e|es|ed|ing)",
    r"fill(?:s|ed|ing)?",
    r"recover(?:s|ed|ing)?",
    r"doubl(?:e|es|ed|ing)",
    r"rais(?:e|es|ed|ing)",
    r"improv(?:e|es|ed|ing)",
    r"free(?:s|d)? up",
    r"win(?:s|ning)?",
    r"won",
    r"add(?:s|ed|ing)? \w+ (?:more|extra|new)",
    r"turn(?:s|ed|ing)? \w+ into",
    r"stop(?:s|ped|ping)? losing",
    r"without",
    r"so (?:that )?you (?:can|could|get)",
    r"which means",
)
