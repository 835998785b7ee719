"""The generated market: companies, contacts and each contact's hidden truth.

Why slots dataclasses and tuples: a 100,000-contact world must fit well under 500 MB and a
sandbox looks contacts up thousands of times a second. Contacts are frozen, so a world can
be shared by many sandboxes (a cohort regrading the same seed) without copying.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course.exercise_specs import IcpSpec, MarketSpec

from .canonical import canonical_json, digest
from .currency import revenue_band_label


@dataclass(frozen=True, slots=True)
class Company:
    id: str
    name: str
    industry: str
    segment: str
    size_band: str
    employees: int
    revenue_band: str  # a key of currency.REVENUE_BAND_KEYS, banded in the local currency
    city: str
    area: str
    region: str
    country: str
    timezone: str
    domain: str
    tools: tuple[str, ...]
    pains: tuple[str, ...]
    facts: tuple[str, ...]
    fact_tags: tuple[str, ...]
    legal_form: str = "limited_company"  # limited_company, sole_trader, partnership (law.py)

    def public(self) -> dict[str, Any]:
        """Everything a researcher could find (facts included)."""
        return {
            "id": self.id,
            "name": self.name,
            "industry": self.industry,
            "segment": self.segment,
            "size_band": self.size_band,
            "employees": self.employees,
            "revenue_band": self.revenue_band,  # a currency-neutral key ("1M-5M")
            "revenue_band_label": revenue_band_label(self.revenue_band, self.region),
            "city": self.city,
            "area": self.area,
            "region": self.region,
            "country": self.country,
            "timezone": self.timezone,
            "website": f"https://www.{self.domain}",
            "tools": list(self.tools),
            "pains": list(self.pains),
            "facts": list(self.facts),
            "legal_form": self.legal_form,
        }


@dataclass(frozen=True, slots=True)
class Truth:
    """What only the world knows; a discovery call or a reply reveals parts of it."""

    budget: bool
    authority: bool
    need: bool
    timeline: bool
    fits_icp: bool
    interest: float
    opted_out: bool
    do_not_call: bool
    email_valid: bool
    budget_amount: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "budget": self.budget,
            "authority": self.authority,
            "need": self.need,
            "timeline": self.timeline,
            "fits_icp": self.fits_icp,
            "interest": self.interest,
            "opted_out": self.opted_out,
            "do_not_call": self.do_not_call,
            "email_valid": self.email_valid,
            "budget_amount": self.budget_amount,
        }


@dataclass(frozen=True, slots=True)
class Contact:
    id: str
    company_id: str
    first_name: str
    last_name: str
    title: str
    seniority: str
    decision_maker: bool
    email: str | None
    phone: str | None
    social: str | None
    preferred_channel: str
    responsiveness: float
    pain: str
    truth: Truth
    # What compliance turns on (law.py): where the contact is, which line the number is,
    # the do-not-call register it is on (None: not registered) and the consent on record.
    country: str = "US"
    region: str = ""  # state or province (the company's area)
    line_type: str = "business_landline"  # business_landline, business_mobile, personal
    registry: str | None = None  # national_dnc, dncl, tps, ctps, dncr
    consent: str = "none"  # express, purchase, inquiry, business_card, published, none
    consent_date: str | None = None  # ISO date the consent was given or the contact made

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "company_id": self.company_id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "title": self.title,
            "seniority": self.seniority,
            "decision_maker": self.decision_maker,
            "email": self.email,
            "phone": self.phone,
            "social": self.social,
            "preferred_channel": self.preferred_channel,
            "responsiveness": self.responsiveness,
            "pain": self.pain,
            "country": self.country,
            "region": self.region,
            "line_type": self.line_type,
            "registry": self.registry,
            "consent": {"source": self.consent, "date": self.consent_date},
        }


class World:
    """A generated market plus the spec and seed that made it (and can make it again)."""

    __slots__ = (
        "market",
        "icp",
        "seed",
        "version",
        "companies",
        "contacts",
        "_by_id",
        "_co",
        "_staff",
        "_index",
    )

    def __init__(
        self,
        *,
        market: MarketSpec,
        icp: IcpSpec | None,
        seed: int,
        version: int,
        companies: tuple[Company, ...],
        contacts: tuple[Contact, ...],
    ) -> None:
        self.market = market
        self.icp = icp
        self.seed = seed
        self.version = version
        self.companies = companies
        self.contacts = contacts
        self._by_id = {c.id: c for c in contacts}
        self._co = {c.id: c for c in companies}
        self._index: list[tuple[Contact, Company, str, str]] | None = None
        self._staff: dict[str, list[Contact]] = {}
        for contact in contacts:
            self._staff.setdefault(contact.company_id, []).append(contact)

    def contact(self, contact_id: str) -> Contact | None:
        return self._by_id.get(contact_id)

    def company(self, company_id: str) -> Company:
        return self._co[company_id]

    def company_of(self, contact: Contact) -> Company:
        return self._co[contact.company_id]

    def colleagues(self, contact: Contact) -> list[Contact]:
        """Other contacts at the same company, in id order."""
        return [c for c in self.contacts_at(contact.company_id) if c.id != contact.id]

    def contacts_at(self, company_id: str) -> list[Contact]:
        return list(self._staff.get(company_id, ()))

    def search_index(self) -> list[tuple[Contact, Company, str, str]]:
        """(contact, company, "name company title" lowercased, title lowercased), built once."""
        if self._index is None:
            titles: dict[str, str] = {}  # a few dozen titles: one lowercased copy each
            self._index = [
                (
                    c,
                    self._co[c.company_id],
                    f"{c.name} {self._co[c.company_id].name} {c.title}".lower(),
                    titles.get(c.title) or titles.setdefault(c.title, c.title.lower()),
                )
                for c in self.contacts
            ]
        return self._index

    def to_json_dict(self, *, truth: bool = False) -> dict[str, Any]:
        """The public market (what research can find); ``truth`` adds the hidden fields."""
        contacts = []
        for contact in self.contacts:
            row = contact.public()
            if truth:
                row["truth"] = contact.truth.as_dict()
            contacts.append(row)
        return {
            "version": self.version,
            "seed": self.seed,
            "market": self.market.model_dump(mode="json"),
            "icp": self.icp.model_dump(mode="json") if self.icp else None,
            "companies": [c.public() for c in self.companies],
            "contacts": contacts,
        }

    def to_json(self, *, truth: bool = False) -> str:
        return canonical_json(self.to_json_dict(truth=truth))

    def digest(self) -> str:
        """sha256 of the full world (truth included): the determinism fingerprint."""
        return digest(self.to_json_dict(truth=True))
