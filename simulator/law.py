"""The law table: what each jurisdiction allows a prospector to do, and what says so.

One table answers every compliance question the sandbox asks (calling hours, a cap on calls,
do-not-call registries, what an email needs), so the refusal of a live call, the violation a
logged call or an email records and the debrief can never disagree. Each rule names its
primary source; where the law is silent the course sets a default of its own, and that rule
says ``basis="policy"`` so that a learner is never told a company habit is the law.
docs/simulator.md lists the same rules (a test keeps the two in step).

A contact's jurisdiction is the country and state or province of their company: Florida
contacts follow Florida's rule where it is stricter than the federal one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .market import Company, Contact

LAW, POLICY = "law", "policy"
LINE_TYPES = ("business_landline", "business_mobile", "personal")
LEGAL_FORMS = ("limited_company", "sole_trader", "partnership")
CONSENT_SOURCES = ("express", "purchase", "inquiry", "business_card", "published", "none")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of one jurisdiction, with the text it rests on."""

    id: str
    jurisdiction: str  # "US", "US-FL", "CA", "GB", "AU"
    topic: str
    basis: str  # LAW or POLICY
    summary: str
    source: str


RULES: tuple[Rule, ...] = (
    Rule("us.call.hours", "US", "call_hours", LAW,
         "Telemarketing calls to residential and personal lines only 08:00-21:00 local time.",
         "16 CFR 310.4(c) (Telemarketing Sales Rule); 47 CFR 64.1200(c)(1) (TCPA)"),
    Rule("us.call.b2b", "US", "call_hours", POLICY,
         "Business-to-business calls are largely exempt from the TSR; the course keeps "
         "08:00-21:00 for business lines as company policy.",
         "16 CFR 310.6(b)(7) (B2B exemption); course policy"),
    Rule("us.call.dnc", "US", "call_registry", LAW,
         "No telephone solicitation to a number on the National Do Not Call Registry "
         "(residential and personal lines).",
         "16 CFR 310.4(b)(1)(iii)(B); 47 CFR 64.1200(c)(2)"),
    Rule("us-fl.call.hours", "US-FL", "call_hours", LAW,
         "Florida: sales calls only 08:00-20:00 local time.",
         "Florida Statutes 501.059(8)(a)"),
    Rule("us-fl.call.cap", "US-FL", "call_cap", LAW,
         "Florida: at most 3 sales calls to the same person in 24 hours.",
         "Florida Statutes 501.059(8)(b)"),
    Rule("us.email", "US", "email", LAW,
         "Commercial email needs a working opt-out and the sender's valid postal address; "
         "no prior consent is required.",
         "15 U.S.C. 7704(a)(3), (a)(5); 16 CFR 316 (CAN-SPAM)"),
    Rule("ca.call.hours", "CA", "call_hours", LAW,
         "Telemarketing calls 09:00-21:30 on weekdays and 10:00-18:00 at weekends.",
         "CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules)"),
    Rule("ca.call.dnc", "CA", "call_registry", LAW,
         "No telemarketing call to a number on the National DNCL; calls to businesses "
         "are exempt from the DNCL rules.",
         "CRTC Unsolicited Telecommunications Rules, Part II (National DNCL Rules); "
         "Telecommunications Act s.41.7"),
    Rule("ca.email.consent", "CA", "email_consent", LAW,
         "A commercial electronic message needs consent: express, or implied by a purchase "
         "or contract in the last 2 years, an inquiry in the last 6 months, a conspicuously "
         "published address or a business card given (relevant to the role).",
         "CASL (S.C. 2010, c. 23) s.6(1), s.10(9), s.10(10)"),
    Rule("ca.email.identity", "CA", "email", LAW,
         "It must identify the sender with a mailing address and one more contact method "
         "(phone, email or web address) and carry an unsubscribe mechanism.",
         "CASL s.6(2), s.11; Electronic Commerce Protection Regulations (CRTC) s.2-3"),
    Rule("gb.call.hours", "GB", "call_hours", POLICY,
         "No statutory calling hours: the course's policy window is 08:00-21:00.",
         "course policy (PECR sets no hours; ICO direct marketing guidance)"),
    Rule("gb.call.tps", "GB", "call_registry", LAW,
         "Screen every number against TPS (individuals, sole traders, partnerships) and "
         "CTPS (corporate subscribers) before a live sales call.",
         "PECR regulations 21 and 26 (SI 2003/2426); ICO guidance on telemarketing"),
    Rule("gb.email.consent", "GB", "email_consent", LAW,
         "Corporate subscribers (limited companies) may be emailed without consent; sole "
         "traders and partnerships need consent or the soft opt-in (details taken in a sale "
         "or negotiations for one).",
         "PECR regulation 22; ICO guide to PECR, electronic mail marketing"),
    Rule("gb.email.identity", "GB", "email", LAW,
         "Every marketing email names the sender and gives a valid address for opting out; "
         "the course asks for a postal address too. Fines up to the UK GDPR level since the "
         "Data (Use and Access) Act 2025.",
         "PECR regulation 23; Data (Use and Access) Act 2025"),
    Rule("au.call.hours", "AU", "call_hours", LAW,
         "Telemarketing calls 09:00-20:00 on weekdays, 09:00-17:00 on Saturdays, never on "
         "Sundays.",
         "Telecommunications (Telemarketing and Research Calls) Industry Standard 2017"),
    Rule("au.call.dnc", "AU", "call_registry", LAW,
         "No telemarketing call to a number on the Do Not Call Register.",
         "Do Not Call Register Act 2006 s.11"),
    Rule("au.email.consent", "AU", "email_consent", LAW,
         "Commercial email needs consent: express, or inferred (a conspicuously published "
         "address, a business card, an existing relationship).",
         "Spam Act 2003 s.16, Schedule 2"),
    Rule("au.email.identity", "AU", "email", LAW,
         "It must identify the sender and carry a functional unsubscribe facility.",
         "Spam Act 2003 s.17, s.18"),
    Rule("default.call.hours", "*", "call_hours", POLICY,
         "Anywhere else: 08:00-21:00 local time, company policy.", "course policy"),
)  # fmt: skip
BY_ID = {rule.id: rule for rule in RULES}

_D = 24 * 60


def _hm(hour: int, minute: int = 0) -> int:
    return hour * 60 + minute


@dataclass(frozen=True, slots=True)
class CallHours:
    """A jurisdiction's calling window per weekday (0 = Monday), None for no calls."""

    rule: str
    label: str
    days: tuple[tuple[int, int] | None, ...]
    binds: tuple[str, ...]  # line types the law protects; on others it is policy
    policy_rule: str | None = None  # the rule a non-protected line follows


def _every_day(start: int, end: int) -> tuple[tuple[int, int], ...]:
    return ((start, end),) * 7


CALL_HOURS: dict[str, CallHours] = {
    "US": CallHours(
        "us.call.hours", "US federal calling hours", _every_day(_hm(8), _hm(21)),
        ("personal",), "us.call.b2b",
    ),
    "US-FL": CallHours(
        "us-fl.call.hours", "Florida calling hours", _every_day(_hm(8), _hm(20)),
        ("personal",), "us.call.b2b",
    ),
    "CA": CallHours(
        "ca.call.hours", "CRTC telemarketing hours",
        ((_hm(9), _hm(21, 30)),) * 5 + ((_hm(10), _hm(18)),) * 2, LINE_TYPES,
    ),
    "GB": CallHours("gb.call.hours", "UK policy hours", _every_day(_hm(8), _hm(21)), ()),
    "AU": CallHours(
        "au.call.hours", "Australian telemarketing hours",
        ((_hm(9), _hm(20)),) * 5 + ((_hm(9), _hm(17)), None), LINE_TYPES,
    ),
    "*": CallHours("default.call.hours", "policy hours", _every_day(_hm(8), _hm(21)), ()),
}  # fmt: skip

#: (calls, hours, rule): a cap on sales calls to one person.
CALL_CAPS: dict[str, tuple[int, int, str]] = {"US-FL": (3, 24, "us-fl.call.cap")}


@dataclass(frozen=True, slots=True)
class Registry:
    """A do-not-call register: its name, the rule, and who may be on it."""

    key: str
    name: str
    rule: str


REGISTRIES: dict[str, Registry] = {
    "national_dnc": Registry("national_dnc", "the National Do Not Call Registry", "us.call.dnc"),
    "dncl": Registry("dncl", "the National DNCL", "ca.call.dnc"),
    "tps": Registry("tps", "the Telephone Preference Service (TPS)", "gb.call.tps"),
    "ctps": Registry("ctps", "the Corporate TPS (CTPS)", "gb.call.tps"),
    "dncr": Registry("dncr", "the Do Not Call Register", "au.call.dnc"),
}


def jurisdictions(company: Company) -> tuple[str, ...]:
    """The table's keys for a company, most specific first (``("US-FL", "US")``)."""
    return (f"{company.country}-{company.area}", company.country, "*")


def call_hours(company: Company) -> CallHours:
    """The calling-hours entry that governs a company's contacts."""
    return next(CALL_HOURS[key] for key in jurisdictions(company) if key in CALL_HOURS)


def call_cap(company: Company) -> tuple[int, int, Rule] | None:
    """(calls, hours, rule) when the jurisdiction caps calls to one person, else None."""
    for key in jurisdictions(company):
        if key in CALL_CAPS:
            calls, hours, rule = CALL_CAPS[key]
            return calls, hours, BY_ID[rule]
    return None


def registry_rule(contact: Contact) -> tuple[Registry, Rule] | None:
    """The register the contact's number is on and the rule it triggers, if any."""
    if contact.registry is None:
        return None
    registry = REGISTRIES[contact.registry]
    return registry, BY_ID[registry.rule]


_BY_PLACE = {(r.jurisdiction, r.topic): r for r in reversed(RULES)}  # the first one wins


def _country_rule(company: Company, topic: str) -> Rule | None:
    for key in jurisdictions(company):
        found = _BY_PLACE.get((key, topic))
        if found is not None:
            return found
    return None


def _months_between(earlier: date, later: date) -> float:
    return (later - earlier).days / 30.44


def consent_gap(company: Company, contact: Contact, today: date) -> Rule | None:
    """The consent rule a commercial email to ``contact`` on ``today`` would break, or None.

    CASL: express consent, or implied by a purchase within 2 years, an inquiry within 6
    months, a published address or a business card. PECR: only sole traders and
    partnerships need consent (express, or the soft opt-in of a purchase or inquiry).
    Spam Act: express or inferred consent. CAN-SPAM asks none.
    """
    rule = _country_rule(company, "email_consent")
    if rule is None:
        return None
    source = contact.consent
    if source == "express":
        return None
    if rule.jurisdiction == "GB":
        if company.legal_form == "limited_company" or source in ("purchase", "inquiry"):
            return None
        return rule
    if rule.jurisdiction == "CA" and contact.consent_date:
        age = _months_between(date.fromisoformat(contact.consent_date), today)
        if (source == "purchase" and age <= 24) or (source == "inquiry" and age <= 6):
            return None
        if source in ("business_card", "published"):
            return None
        return rule
    return None if source in ("purchase", "inquiry", "business_card", "published") else rule


#: A run of digits with the separators phone numbers use ("+1 (416) 555-0199").
_PHONE_LIKE = re.compile(r"(?<![\w@/.-])\+?\(?\d[\d ().-]{5,}\d(?![\w@])")
#: What a phone-like run may be instead: a date, a ZIP+4 code, a figure in thousands.
_DATE_OR_ZIP = re.compile(
    r"\b(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{5}-\d{4})\b"
)
_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")
#: The word before a number that says what it is: a phone label, or a fax (not a method).
_LABEL = re.compile(r"(\w+)\W*$")
_PHONE_WORDS = frozenset(
    {"t", "p", "m", "tel", "telephone", "phone", "ph", "call", "mobile", "cell", "direct", "free"}
)
_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WEB_ADDRESS = re.compile(
    r"https?://\S+|\bwww\.[\w-]+\.\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|ca|co\.uk|uk|org|net|io|co|biz|info|ai|us|example)\b(?![.\w]*@)",
    re.IGNORECASE,
)


def _is_phone(text: str, start: int, number: str) -> bool:
    """A phone number: 10-15 digits, or 7-9 after a phone label; never a fax, a date, a
    ZIP+4 code or a figure written in thousands."""
    if _DATE_OR_ZIP.search(number) or _THOUSANDS.fullmatch(number):
        return False
    label = _LABEL.search(text[max(0, start - 20) : start])
    word = label.group(1).lower() if label else ""
    if word == "fax":
        return False
    digits = sum(ch.isdigit() for ch in number)
    return 10 <= digits <= 15 or (7 <= digits <= 9 and word in _PHONE_WORDS)


def has_contact_method(body: str) -> bool:
    """A phone number, an email address or a web address in the message, besides the
    mailing address (CASL: Electronic Commerce Protection Regulations (CRTC), SOR/2012-36,
    s. 2); a fax does not count."""
    if _EMAIL_ADDRESS.search(body) or _WEB_ADDRESS.search(body):
        return True
    return any(_is_phone(body, m.start(), m.group()) for m in _PHONE_LIKE.finditer(body))


EMAIL_LAW_NAMES = {"US": "CAN-SPAM", "CA": "CASL", "GB": "PECR", "AU": "The Spam Act"}


@dataclass(frozen=True, slots=True)
class EmailBreach:
    """One rule an email broke: the violation kind, what the learner is told, the rule."""

    kind: str
    detail: str
    rule: Rule


def email_breaches(
    company: Company,
    contact: Contact,
    *,
    has_opt_out: bool,
    has_postal_address: bool,
    body: str,
    today: date,
) -> list[EmailBreach]:
    """Every email rule of the contact's jurisdiction this email breaks (CAN-SPAM elsewhere).

    The US CAN-SPAM form rules are the floor everywhere: an opt-out and a postal address.
    """
    identity = _country_rule(company, "email") or BY_ID["us.email"]
    name = EMAIL_LAW_NAMES.get(identity.jurisdiction, "CAN-SPAM")
    out: list[EmailBreach] = []
    if not has_opt_out:
        out.append(
            EmailBreach("email_without_opt_out", f"{name} needs a clear way to opt out", identity)
        )
    if not has_postal_address:
        out.append(
            EmailBreach(
                "email_without_postal_address", f"{name} needs a valid postal address", identity
            )
        )
    if identity.jurisdiction == "CA" and not has_contact_method(body):
        out.append(
            EmailBreach(
                "email_without_contact_method",
                "CASL needs a mailing address and one more contact method (phone, email or web)",
                identity,
            )
        )
    gap = consent_gap(company, contact, today)
    if gap is not None:
        who = (
            f"a {company.legal_form.replace('_', ' ')}"
            if gap.jurisdiction == "GB"
            else contact.name
        )
        out.append(
            EmailBreach(
                "email_without_consent",
                f"no consent on record to email {who} ({_consent_words(contact)}): {gap.source}",
                gap,
            )
        )
    return out


def _consent_words(contact: Contact) -> str:
    if contact.consent == "none":
        return "no consent"
    return f"{contact.consent.replace('_', ' ')} on {contact.consent_date}"


def compliance_view(company: Company, contact: Contact, at: int) -> dict[str, str | None]:
    """What a prospector's CRM shows before contacting someone: the register the number is
    on, the consent on record and whether emailing on the day of ``at`` needs more."""
    registered = registry_rule(contact)
    gap = consent_gap(company, contact, datetime.fromtimestamp(at, UTC).date())
    return {
        "line_type": contact.line_type.replace("_", " "),
        "legal_form": company.legal_form.replace("_", " "),
        "registry": registered[0].name if registered else None,
        "consent": _consent_words(contact),
        "email_rule": f"no consent for email: {gap.summary} ({gap.source})" if gap else None,
    }
