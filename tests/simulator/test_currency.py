"""Money a learner can read is in the company's country currency (issue 13, item 5).

UK and Canadian companies show their revenue band, a software company's funding round and a
prospect's budget in pounds or Canadian dollars (``C$``: a bare ``$`` would read as US
dollars); US companies keep ``$``. Checked on what a learner reads: the profile, the
results-table row, the buying-signal marks and the budget a prospect quotes.
"""

from __future__ import annotations

import json
import re

import pytest

from simulator import Sandbox, open_exercise
from simulator.buying_signals import fact_signals
from simulator.currency import REVENUE_BAND_KEYS, money, revenue_band, revenue_band_label
from simulator.market import Company

from .conftest import fixed_analyser

#: A dollar sign that is not Canadian ("C$") or Australian ("A$"): US dollars.
US_DOLLAR = re.compile(r"(?<![CA])\$")
#: Exercises whose markets mix the US with the UK and Canada (coaching) or the UK (SaaS:
#: the funding rounds).
EXERCISES = ("cold-email-coaching", "prospect-list-saas", "cold-email-saas")


def _readable(sandbox: Sandbox, company: Company) -> list[str]:
    """Every text about one company's money a learner can read on its pages."""
    contact = sandbox.world.contacts_at(company.id)[0]
    profile = sandbox.profile(contact.id)
    texts = [
        str(profile["company"]["revenue_band_label"]),
        json.dumps(profile["company"], ensure_ascii=False),
        json.dumps(sandbox.row(contact), ensure_ascii=False),
        *(text for text, _ in fact_signals(company)),
        money(contact.truth.budget_amount or 1200, company),
    ]
    return texts


@pytest.mark.parametrize("exercise", EXERCISES)
def test_uk_and_canadian_money_never_reads_as_us_dollars(exercise: str) -> None:
    sandbox = open_exercise(exercise, seed=3, analyser=fixed_analyser)
    seen = {"us": 0, "uk": 0, "ca": 0}
    funding = {"us": 0, "uk": 0}
    for company in sandbox.world.companies:
        texts = _readable(sandbox, company)
        seen[company.region] += 1
        if "funding" in company.fact_tags:
            funding[company.region] = funding.get(company.region, 0) + 1
        if company.region == "us":
            assert "$" in texts[0] and all("£" not in t for t in texts), company.name
            continue
        symbol = {"uk": "£", "ca": "C$"}[company.region]
        assert texts[0].startswith(("<" + symbol, symbol)), (company.name, texts[0])
        assert not [t for t in texts if US_DOLLAR.search(t)], (company.name, texts)
        if "funding" in company.fact_tags:
            fact = company.facts[company.fact_tags.index("funding")]
            assert re.search(re.escape(symbol) + r"\d+M\b", fact), fact
    assert seen["us"] and (seen["uk"] or seen["ca"])
    if "saas" in exercise:
        assert funding["us"] and funding["uk"], funding


def test_revenue_bands_are_currency_neutral_keys_with_local_labels() -> None:
    assert all("$" not in k and "£" not in k for k in REVENUE_BAND_KEYS)
    assert revenue_band_label("1M-5M", "us") == "$1M-$5M"
    assert revenue_band_label("1M-5M", "uk") == "£1M-£5M"
    assert revenue_band_label("<1M", "ca") == "<C$1M"
    assert revenue_band_label("100M+", "au") == "A$100M+"


def test_revenue_is_converted_before_it_is_banded() -> None:
    # $1.2M is about £0.9M: under a million pounds, but over a million Canadian dollars
    assert revenue_band(1_200_000, "us") == "1M-5M"
    assert revenue_band(1_200_000, "uk") == "<1M"
    assert revenue_band(900_000, "ca") == "1M-5M"
    assert revenue_band(150_000_000, "uk") == "100M+"
