"""Money in the company's country currency: the one table every amount a learner reads uses.

Why one table: a UK prospect who quotes a budget in dollars, or a London start-up whose
funding round reads "$12M", breaks the market's country (issue 13, item 5). Budgets (written
and spoken), revenue bands and funding rounds all take their symbol from here.

Why revenue bands have currency-neutral keys: a band is stored as ``"1M-5M"`` (what a
filter, a saved search or a test compares) and shown with the company's symbol
(``"£1M-£5M"``). A company's revenue is drawn in US dollars (the packs' published revenue
per employee) and converted at the rates below *before* it is banded, so a $1.2M business
in Leeds (about £0.9M) reads "<£1M". Nothing is drawn here: the same draws give the same
companies; only the wording of their money follows the country.

Rates (an assumption, rounded, about the 2025 average; no source is pinned): 1 USD = 0.75 GBP
= 1.38 CAD = 1.52 AUD. Funding rounds are drawn from the same list of amounts in every
country (3-40 million of the local currency: plausible seed to Series B rounds in the UK and
Canada as in the US), so they are written, not converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class _Located(Protocol):
    @property
    def region(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Currency:
    symbol: str  # written before the amount: "£1,200", "C$1,200"
    code: str  # ISO 4217
    per_thousand_usd: int  # units of this currency for 1,000 US dollars (exact arithmetic)


#: region -> currency. A Canadian or Australian amount is marked ("C$", "A$") so that a
#: reader elsewhere does not take it for US dollars.
CURRENCIES: dict[str, Currency] = {
    "us": Currency("$", "USD", 1000),
    "uk": Currency("£", "GBP", 750),
    "ca": Currency("C$", "CAD", 1380),
    "au": Currency("A$", "AUD", 1520),
}
DEFAULT_REGION = "us"

#: (upper bound in the company's own currency, key), lowest first; the last key has no bound.
REVENUE_BANDS: tuple[tuple[int, str], ...] = (
    (1_000_000, "<1M"),
    (5_000_000, "1M-5M"),
    (20_000_000, "5M-20M"),
    (100_000_000, "20M-100M"),
)
TOP_BAND = "100M+"
REVENUE_BAND_KEYS: tuple[str, ...] = (*(key for _, key in REVENUE_BANDS), TOP_BAND)


def currency(region: str) -> Currency:
    return CURRENCIES.get(region, CURRENCIES[DEFAULT_REGION])


def _region(where: _Located | str) -> str:
    return where if isinstance(where, str) else where.region


def money(amount: int, where: _Located | str) -> str:
    """``amount`` in the currency of ``where`` (a company or a region key): "£1,200"."""
    return f"{currency(_region(where)).symbol}{amount:,}"


def millions(amount_m: int, where: _Located | str) -> str:
    """A round figure in millions: "£12M", "C$12M", "$12M"."""
    return f"{currency(_region(where)).symbol}{amount_m}M"


def from_usd(amount_usd: int, region: str) -> int:
    """US dollars converted to the region's currency (integer arithmetic: same on every machine)."""
    return amount_usd * currency(region).per_thousand_usd // 1000


def revenue_band(revenue_usd: int, region: str) -> str:
    """The band key of a revenue drawn in US dollars, banded in the region's own currency."""
    local = from_usd(revenue_usd, region)
    for bound, key in REVENUE_BANDS:
        if local < bound:
            return key
    return TOP_BAND


def revenue_band_label(key: str, where: _Located | str) -> str:
    """A band key as a reader sees it: "1M-5M" in the UK is "£1M-£5M"; unknown keys as is."""
    if key not in REVENUE_BAND_KEYS:
        return key
    symbol = currency(_region(where)).symbol
    if key.startswith("<"):
        return f"<{symbol}{key[1:]}"
    return "-".join(f"{symbol}{part}" for part in key.split("-"))
