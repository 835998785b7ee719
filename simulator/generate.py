"""Market generation: ``generate_market(spec, seed, icp) -> World``, the same on every machine.

Determinism rules kept here: one ``Stream`` seeded from (seed, salt) through blake2b; draws
happen in a fixed order (company by company, field by field); only ``random()`` and exact
arithmetic are used (no ``math.log``/``exp``, whose last bit may differ between C
libraries); floats are rounded to two places before they are stored. Changing the order of
draws or the data lists changes every world: bump WORLD_VERSION (and STREAM_VERSION for the
main stream's draws, STANDING_VERSION for the law fields' stream) when you do. Only the
wording of an amount (currency.py) changes no draw: then the digests move and the version
stays.
"""

from __future__ import annotations

import gc
import re
import string
import sys
from functools import lru_cache
from pathlib import Path

import yaml

from course.exercise_specs import IcpSpec, MarketSpec
from course.vocabulary import OUTREACH_CHANNELS

from .currency import millions, revenue_band
from .icp import fits_icp_fields
from .market import Company, Contact, Truth, World
from .packs import City, IndustryPack, Segment, Title, cities_by_region, industry_pack, names
from .seeds import Stream, cumulative, derive_seed
from .standing import draw_legal_form, draw_standing

#: 3: legal form, line type, do-not-call registers and consent (issue 13), drawn from a
#: stream of their own so that every name, fact and truth of version 2 stays as it was.
WORLD_VERSION = 3
#: the main stream's version: bump it (with WORLD_VERSION) when its draws change
STREAM_VERSION = 2
#: the law fields' stream (standing.py): its own version, so that a later WORLD_VERSION bump
#: for other data does not reshuffle every legal form, line type and consent (3: issue 13)
STANDING_VERSION = 3

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: funding rounds in millions of the company's own currency (currency.py says why)
AMOUNTS_M = (3, 5, 8, 12, 18, 25, 40)
# Preferred channel by industry (email, linkedin, call): an assumption, no published split.
# Owners of local and dental businesses answer the phone; software people live on LinkedIn.
CHANNELS = OUTREACH_CHANNELS  # the order of the weights below
CHANNEL_WEIGHTS: dict[str, tuple[float, float, float]] = {
    "saas": (0.45, 0.40, 0.15),
    "coaching_consulting": (0.40, 0.45, 0.15),
    "finance_insurance": (0.50, 0.25, 0.25),
    "real_estate": (0.40, 0.20, 0.40),
    "medical_dental": (0.50, 0.10, 0.40),
    "local_business": (0.45, 0.15, 0.40),
}
# Assumptions (domain.md gives no figures): share of contacts with each contact detail,
# share of invalid addresses (bounces), earlier opt-outs and do-not-call requests.
P_EMAIL, P_PHONE, P_SOCIAL = 0.92, 0.80, 0.75
P_EMAIL_VALID, P_OPTED_OUT, P_DO_NOT_CALL = 0.95, 0.03, 0.05
BUDGET_AMOUNTS = (300, 500, 800, 1_200, 2_000, 3_500)
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def tool_regions() -> dict[str, tuple[str, ...]]:
    """Tool -> the regions it is sold in (data/tools.yaml); unlisted tools sell everywhere."""
    raw = yaml.safe_load((Path(__file__).parent / "data" / "tools.yaml").read_text("utf-8"))
    return {tool: tuple(regions) for tool, regions in raw["regions"].items()}


#: Authority by role (assumption): owners and chiefs nearly always decide, a VP or director
#: who is a decision maker usually, a managing manager less often; others rarely.
AUTHORITY_BY_SENIORITY = {"owner": 0.97, "c_level": 0.95, "vp": 0.85, "director": 0.8}


def authority_odds(seniority: str, decision_maker: bool) -> float:
    """The chance that a contact really holds the budget authority their title suggests."""
    if not decision_maker:
        return 0.05 if seniority == "staff" else 0.12
    return AUTHORITY_BY_SENIORITY.get(seniority, 0.7)


def _slug(text: str) -> str:
    return _SLUG_RE.sub("", text.lower())


@lru_cache(maxsize=512)
def _fields(template: str) -> tuple[str, ...]:
    return tuple(f for _, f, _, _ in string.Formatter().parse(template) if f)


class _Generator:
    """Holds the stream and the lookup lists for one market."""

    def __init__(self, market: MarketSpec, seed: int, icp: IcpSpec | None) -> None:
        self.market = market
        self.icp = icp
        self.pack: IndustryPack = industry_pack(market.industry)
        unknown = [s for s in market.segments if s not in self.pack.segments]
        if unknown:
            known = ", ".join(self.pack.segments)
            raise ValueError(f"market.segments {unknown} unknown for {market.industry}: {known}")
        self.segments: tuple[Segment, ...] = tuple(
            self.pack.segments[s] for s in (market.segments or tuple(self.pack.segments))
        )
        regions = cities_by_region()
        self.cities: tuple[City, ...] = tuple(c for r in market.regions for c in regions[r])
        self.firsts, self.lasts = names()
        self.rng = Stream(derive_seed(seed, "market", market.seed_salt, STREAM_VERSION))
        # the law's fields (standing.py): their own stream, so the main draws stay put
        self.law_rng = Stream(derive_seed(seed, "standing", market.seed_salt, STANDING_VERSION))
        self.band_cum = cumulative([b.weight for b in self.pack.size_bands])
        self.channel_cum = cumulative(CHANNEL_WEIGHTS[market.industry])
        self.title_cum = {s.key: cumulative([t.weight for t in s.titles]) for s in self.segments}
        self.city_by_name = {c.city: c for c in self.cities}
        self.band_index = {b.band: i for i, b in enumerate(self.pack.size_bands)}
        self.used_names: set[str] = set()
        self.start = market.start

    # ------------------------------------------------------------------ companies

    def company(self, index: int) -> Company:
        rng = self.rng
        segment = rng.pick(self.segments)
        city = rng.pick(self.cities)
        band = rng.weighted(self.pack.size_bands, self.band_cum)
        employees = rng.between(band.min, band.max)
        revenue = int(employees * self.pack.revenue_per_employee_usd * (0.7 + 0.6 * rng.uniform()))
        name = self._name(segment, city)
        sold = tool_regions()
        local = [t for t in segment.tools if city.region in sold.get(t, (city.region,))]
        tools = tuple(rng.sample(local or list(segment.tools), rng.between(1, 3)))
        pains = tuple(rng.sample(segment.pains, rng.between(1, 3)))
        facts = rng.sample(self.pack.facts, rng.between(2, 4))
        texts = tuple(self._fill(f.text, segment, city, tools) for f in facts)
        legal_form = draw_legal_form(self.law_rng, self.band_index[band.band])
        return Company(
            id=sys.intern(f"c{index:05d}"),
            name=name,
            industry=self.market.industry,
            segment=segment.key,
            size_band=band.band,
            employees=employees,
            revenue_band=revenue_band(revenue, city.region),
            city=city.city,
            area=city.area,
            region=city.region,
            country=city.country,
            timezone=city.timezone,
            domain=_slug(name) + ".example",
            tools=tools,
            pains=pains,
            facts=texts,
            fact_tags=tuple(f.tag for f in facts),
            legal_form=legal_form,
        )

    def _name(self, segment: Segment, city: City) -> str:
        rng = self.rng
        pattern = rng.pick(segment.names)
        values = {
            "adjective": rng.pick(self.pack.adjectives),
            "surname": rng.pick(self.lasts),
            "city_word": city.city,
            "animal": rng.pick(segment.lists.get("animals", ("Fox",))),
        }
        name = pattern.format(**values)
        if name in self.used_names:
            name = f"{name} {city.city}" if city.city not in name else name
        base = name
        while name in self.used_names:  # a founder's name, never a number ("... 2")
            name = f"{rng.pick(self.lasts)} {base}"
            if name in self.used_names:
                name = f"{rng.pick(self.lasts)} & {rng.pick(self.lasts)} {base}"
        self.used_names.add(name)
        return name

    def _fill(self, template: str, segment: Segment, city: City, tools: tuple[str, ...]) -> str:
        rng = self.rng
        values: dict[str, object] = {}
        for field in _fields(template):
            if field in values:
                continue
            if field == "month":
                values[field] = MONTHS[(self.start.month - 1 - rng.between(1, 8)) % 12]
            elif field == "year":
                values[field] = self.start.year - rng.between(0, 1)
            elif field == "nearby_city":
                others = [c.city for c in self.cities if c.region == city.region and c != city]
                values[field] = rng.pick(others) if others else city.city
            elif field == "city":
                values[field] = city.city
            elif field == "segment_noun":
                values[field] = segment.noun
            elif field == "staff_role":
                values[field] = segment.staff_role
            elif field == "n_staff":
                values[field] = rng.between(2, 5)
            elif field == "n_small":
                values[field] = rng.between(2, 9)
            elif field == "rating":
                values[field] = f"4.{rng.between(2, 9)}"
            elif field == "reviews":
                values[field] = rng.between(25, 640)
            elif field == "amount_m":  # a funding round, in the company's currency
                values[field] = millions(rng.pick(AMOUNTS_M), city.region)
            elif field == "tool":
                values[field] = rng.pick(tools)
            else:  # a segment list: service -> services, topic -> topics...
                values[field] = rng.pick(segment.lists[field + "s"])
        return template.format(**values)

    # ------------------------------------------------------------------ contacts

    def contacts(self, company: Company, first_index: int) -> list[Contact]:
        rng = self.rng
        segment = self.pack.segments[company.segment]
        count = rng.between(
            self.market.contacts_per_company.min, self.market.contacts_per_company.max
        )
        pattern = rng.below(3)
        used_titles: set[str] = set()
        out: list[Contact] = []
        for k in range(count):
            title = rng.weighted(segment.titles, self.title_cum[segment.key])
            if k == 0 and not title.decision_maker and rng.chance(0.85):
                makers = [t for t in segment.titles if t.decision_maker]
                title = rng.pick(makers)
            if title.title in used_titles and title.seniority in ("owner", "c_level"):
                title = rng.pick([t for t in segment.titles if t.seniority not in ("owner",)])
            used_titles.add(title.title)
            first = rng.pick(self.firsts)
            last = rng.pick(self.lasts)
            contact_id = sys.intern(f"p{first_index + k:06d}")  # one copy for every world
            out.append(self._contact(contact_id, company, segment, title, first, last, pattern))
        return out

    def _contact(
        self,
        contact_id: str,
        company: Company,
        segment: Segment,
        title: Title,
        first: str,
        last: str,
        pattern: int,
    ) -> Contact:
        rng = self.rng
        f, la = _slug(first), _slug(last)
        local = (f, f"{f}.{la}", f"{f[:1]}{la}")[pattern]
        email = f"{local}@{company.domain}" if rng.chance(P_EMAIL) else None
        phone = None
        if rng.chance(P_PHONE):
            city = self.city_by_name[company.city]
            digits = rng.below(10_000)
            phone = city.phone.format(
                n2=f"{digits % 100:02d}", n3=f"{digits % 1000:03d}", n4=f"{digits:04d}"
            )
        social = (
            f"linkedin.com/in/{f}-{la}-{rng.between(100, 9999)}" if rng.chance(P_SOCIAL) else None
        )
        preferred = rng.weighted(CHANNELS, self.channel_cum)
        responsiveness = round((rng.uniform() + rng.uniform()) / 2, 2)
        pain = rng.pick(company.pains)
        truth = self._truth(
            company, title, has_phone=phone is not None, has_email=email is not None
        )
        line_type, registry, consent, consent_date = draw_standing(
            self.law_rng,
            company,
            title.seniority,
            has_phone=phone is not None,
            start=self.start.date(),
        )
        return Contact(
            id=contact_id,
            company_id=company.id,
            first_name=first,
            last_name=last,
            title=title.title,
            seniority=title.seniority,
            decision_maker=title.decision_maker,
            email=email,
            phone=phone,
            social=social,
            preferred_channel=preferred,
            responsiveness=responsiveness,
            pain=pain,
            truth=truth,
            country=company.country,
            region=company.area,
            line_type=line_type,
            registry=registry,
            consent=consent,
            consent_date=consent_date,
        )

    def _truth(self, company: Company, title: Title, *, has_phone: bool, has_email: bool) -> Truth:
        """The hidden truth of one contact, drawn right after their public fields."""
        rng = self.rng
        fits = (
            fits_icp_fields(title.seniority, title.decision_maker, company, self.icp)
            if self.icp
            else title.decision_maker
        )
        signal = "pain_signal" in company.fact_tags or "growth" in company.fact_tags
        need = rng.chance((0.65 if fits else 0.30) + (0.10 if signal else 0.0))
        budget = rng.chance(min(0.40 + 0.10 * self.band_index[company.size_band], 0.80))
        authority = rng.chance(authority_odds(title.seniority, title.decision_maker))
        timeline = rng.chance(0.45 if need else 0.20)
        interest = round(min(0.10 + 0.50 * rng.uniform() + (0.30 if need else 0.0), 0.99), 2)
        return Truth(
            budget=budget,
            authority=authority,
            need=need,
            timeline=timeline,
            fits_icp=fits,
            interest=interest,
            opted_out=rng.chance(P_OPTED_OUT),
            do_not_call=has_phone and rng.chance(P_DO_NOT_CALL),
            email_valid=has_email and rng.chance(P_EMAIL_VALID),
            budget_amount=rng.pick(BUDGET_AMOUNTS) if budget else 0,
        )


def generate_market(market: MarketSpec, seed: int, icp: IcpSpec | None = None) -> World:
    """Companies and contacts for ``market``; the same (market, icp, seed) gives the same world.

    ``icp`` decides each contact's real fit (``truth.fits_icp``); without one, decision
    makers count as fitting.
    """
    gen = _Generator(market, seed, icp)
    companies: list[Company] = []
    contacts: list[Contact] = []
    collecting = gc.isenabled()
    gc.disable()  # millions of new objects, none cyclic: the collector would only cost time
    try:
        for index in range(1, market.n_companies + 1):
            company = gen.company(index)
            companies.append(company)
            contacts.extend(gen.contacts(company, len(contacts) + 1))
    finally:
        if collecting:
            gc.enable()
    return World(
        market=market,
        icp=icp,
        seed=seed,
        version=WORLD_VERSION,
        companies=tuple(companies),
        contacts=tuple(contacts),
    )
