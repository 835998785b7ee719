"""Buyers on the phone: a persona per contact, drawn from the truth the world already holds.

Nothing here is new truth. Budget, authority, need, timeline and interest come from the
contact's ``Truth``; the pain from the contact and its company; the current vendor is the
company's first tool; the decision maker a colleague with authority. What the persona adds
is *how* that truth comes out on a call, drawn from ``derive_seed(world seed, "persona",
contact id)`` so that the same seed gives the same buyer on every machine:

- a temperament (busy, sceptical, friendly, guarded), leaning on the contact's
  responsiveness and seniority: senior people are busier, responsive ones friendlier;
- a voice: a seed of their own (``derive_seed(world seed, "voice", contact id)``) from
  which call_lines.py orders the wordings of every line and their verbal habits, so that
  no two personas sound the same (four fixed voices once made every fourth buyer a twin);
- the objections they will raise, in order: a reflex one at the opening (most cold calls
  meet one: "not interested", "send me an email", "how did you get my number?"), then the
  ones their truth implies (no budget, call me next quarter, we already use X);
- a gatekeeper (receptionist or assistant) in front of owners, executives and directors of
  companies with more than ten people, where a front desk answers the phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .currency import money
from .market import Company, Contact, World
from .seeds import Stream, derive_seed

TEMPERAMENTS = ("busy", "sceptical", "friendly", "guarded")
#: Goodwill a buyer of each temperament starts a call with (see call_machine.py).
START_GOODWILL = {"busy": 1, "sceptical": 0, "friendly": 2, "guarded": 0}
#: Objections a buyer may raise at the opening, before knowing anything.
REFLEX_OBJECTIONS = ("not_interested", "send_email", "how_got_number", "bad_time")
#: Objections that follow from the truth: raised when the call reaches that fact.
TRUTH_OBJECTIONS = ("no_budget", "next_quarter", "already_use")
#: Objections only an objection drill raises (deliverable.drill), so that personas drawn
#: before the drill existed stay the same buyers.
DRILL_OBJECTIONS = ("wrong_person", "bad_experience")
OBJECTIONS = REFLEX_OBJECTIONS + TRUTH_OBJECTIONS + DRILL_OBJECTIONS
#: Seniorities with someone in front of their phone (at companies above ten people).
_SCREENED = ("owner", "c_level", "vp", "director")


@dataclass(frozen=True, slots=True)
class Gatekeeper:
    role: str  # receptionist or assistant
    name: str
    strict: bool  # a strict one insists on a reason before putting anyone through


@dataclass(frozen=True, slots=True)
class Persona:
    """How one contact behaves on a call, and the truth they may reveal."""

    contact_id: str
    first_name: str
    name: str
    title: str
    company: str
    timezone: str
    temperament: str
    voice: int  # the seed of how they word things (call_lines.py)
    pain: str
    budget: bool
    budget_amount: int
    budget_money: str  # the amount in the company's currency ("£1,200")
    authority: bool
    decider: str | None  # the colleague who decides, when this contact does not
    need: bool
    timeline: bool
    vendor: str
    interest: float
    objections: tuple[str, ...]
    gatekeeper: Gatekeeper | None

    def truth(self) -> dict[str, object]:
        """The facts a call can uncover, as the grader's ``call`` kind reads them."""
        return {
            "budget": self.budget,
            "authority": self.authority,
            "need": self.need,
            "timeline": self.timeline,
            "vendor": self.vendor,
        }


_GATEKEEPER_NAMES = ("Sam", "Jo", "Alex", "Robin", "Chris", "Pat", "Lee", "Jamie", "Kim", "Dana")


def persona_for(world: World, contact: Contact) -> Persona:
    """The contact's persona (the same on every call, machine and replay)."""
    company = world.company_of(contact)
    rng = Stream(derive_seed(world.seed, "persona", contact.id))
    u = rng.many(6)
    truth = contact.truth
    senior = contact.seniority in _SCREENED
    if u[0] < 0.45 if senior else u[0] < 0.2:
        temperament = "busy"
    elif u[0] < 0.45 + 0.3 * contact.responsiveness:
        temperament = "friendly"
    elif truth.interest < 0.3:
        temperament = "guarded"
    else:
        temperament = "sceptical"
    rng.uniform()  # once the choice of four voices: still drawn, so later draws stay put
    decider = None
    if not truth.authority:
        makers = [c for c in world.colleagues(contact) if c.truth.authority]
        decider = makers[0].name if makers else None
    return Persona(
        contact_id=contact.id,
        first_name=contact.first_name,
        name=contact.name,
        title=contact.title,
        company=company.name,
        timezone=company.timezone,
        temperament=temperament,
        voice=derive_seed(world.seed, "voice", contact.id),
        pain=contact.pain,
        budget=truth.budget,
        budget_amount=truth.budget_amount,
        budget_money=money(truth.budget_amount, company),
        authority=truth.authority,
        decider=decider,
        need=truth.need,
        timeline=truth.timeline,
        vendor=company.tools[0] if company.tools else "a spreadsheet",
        interest=truth.interest,
        objections=_objections(contact, company, rng, u[1]),
        gatekeeper=_gatekeeper(contact, company, rng, u[2], u[3]),
    )


def _objections(contact: Contact, company: Company, rng: Stream, u: float) -> tuple[str, ...]:
    """The reflex objection first (a keen buyer may skip it), then what the truth implies."""
    truth = contact.truth
    out: list[str] = []
    if u > truth.interest * 0.5:
        out.append(rng.pick(REFLEX_OBJECTIONS))
    if company.tools:
        out.append("already_use")
    if not truth.budget:
        out.append("no_budget")
    if not truth.timeline:
        out.append("next_quarter")
    return tuple(out)


def _gatekeeper(
    contact: Contact, company: Company, rng: Stream, u_present: float, u_strict: float
) -> Gatekeeper | None:
    if contact.seniority not in _SCREENED or company.employees <= 10 or u_present > 0.8:
        return None
    role = "assistant" if contact.seniority in ("c_level", "vp") else "receptionist"
    return Gatekeeper(role, rng.pick(_GATEKEEPER_NAMES), strict=u_strict < 0.5)
