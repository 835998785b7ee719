"""Research that teaches research (issue #15, item 3): filters for the buying signals the
world knows, employee counts as numbers, saved searches per learner and run, and the ICP's
signals marked on what the learner has researched."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from leadworks.accounts.models import User
from leadworks.practice import search
from leadworks.practice.models import SavedSearch
from simulator.buying_signals import company_signals
from tests.integration.test_sandbox_pages import Played, _play, _prospects

EXERCISE = "prospect-list-saas"  # its ICP asks for hiring or funding


def _ids(page: str) -> list[str]:
    return re.findall(r'name="contact_ids" value="(p\d+)"', page)


def _get(played: Played, **filters) -> str:
    answer = played.client.get(f"{played.base}/prospects?" + urlencode(filters, doseq=True))
    assert answer.status_code == 200, answer.text[:300]
    return answer.text


@pytest.mark.parametrize("signal", ["hiring", "funding", "new_location", "tech_change"])
def test_a_buying_signal_filter_finds_only_companies_that_show_it(
    client: TestClient, session: Session, learner: User, signal: str
) -> None:
    played = _play(client, session, learner, EXERCISE)
    sandbox = played.sandbox()
    everyone = sandbox.find({})
    expected = [c.id for c in everyone if signal in company_signals(sandbox.world.company_of(c))]
    assert 0 < len(expected) < len(everyone), "the world should have some and not all"
    rows = _prospects(played, signal=signal, per_page=100)
    assert [r["id"] for r in rows] == expected[:100]
    if signal == "new_location":
        for row in rows:
            facts = sandbox.world.company(row["company_id"]).facts
            assert any(f.startswith("opened ") for f in facts)
    page = _get(played, signal=signal, per_page=100)
    assert _ids(page) == expected[:100]


def test_technology_and_employee_ranges_filter_as_numbers(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, EXERCISE)
    sandbox = played.sandbox()
    options = search.filter_options(sandbox)
    lows = [search.size_order(band)[0] for band in options["size_band"]]
    assert lows == sorted(lows), options["size_band"]  # 1-10, 11-50, 51-200... not as text
    page = _get(played)
    bands = re.findall(r'name="size_band" value="([^"]+)"', page)
    assert bands == options["size_band"]
    tool = options["technology"][0]
    for row in _prospects(played, technology=tool, per_page=100):
        assert tool in sandbox.world.company(row["company_id"]).tools
    rows = _prospects(played, min_employees="20", max_employees="200", per_page=100)
    assert rows
    for row in rows:
        assert 20 <= sandbox.world.company(row["company_id"]).employees <= 200


@pytest.mark.parametrize(
    ("filters", "said"),
    [
        ({"min_employees": "many"}, "Filter &#39;min_employees&#39; takes a whole number"),
        ({"max_employees": "-5"}, "Filter &#39;max_employees&#39; takes a whole number"),
        ({"min_employees": "500", "max_employees": "10"}, "minimum number of employees"),
        ({"signal": "astrology"}, "Filter &#39;signal&#39; has no value"),
        ({"technology": "Abacus 3000"}, "Filter &#39;technology&#39; has no value"),
    ],
)
def test_a_bad_research_filter_is_refused_naming_it(
    client: TestClient, session: Session, learner: User, filters: dict, said: str
) -> None:
    played = _play(client, session, learner, EXERCISE)
    answer = played.client.get(f"{played.base}/prospects?" + urlencode(filters))
    assert answer.status_code == 400 and said in answer.text, answer.text[-2000:]


def test_a_saved_search_opens_the_same_results_and_stays_with_its_run(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, EXERCISE)
    query = urlencode({"signal": ["hiring", "funding"], "max_employees": "500"}, doseq=True)
    saved = played.post("/searches", {"name": "Hiring or funded", "query": query}, stale=False)
    assert saved.status_code == 303
    opened = played.client.get(saved.headers["location"])
    assert "Search &#39;Hiring or funded&#39; saved." in opened.text or "saved" in opened.text
    expected = _ids(_get(played, signal=["hiring", "funding"], max_employees="500"))
    assert _ids(opened.text) == expected and expected
    page = _get(played)
    assert "Hiring or funded" in page
    stored = session.exec(select(SavedSearch).where(SavedSearch.run_id == played.run.id)).one()
    # saving under the same name replaces it; a search without filters is refused
    played.post("/searches", {"name": "Hiring or funded", "query": "signal=hiring"}, stale=False)
    session.refresh(stored)
    assert stored.query == "signal=hiring"
    empty = played.post("/searches", {"name": "Everything", "query": ""}, stale=False)
    assert empty.status_code == 400 and "at least one filter" in empty.text
    nameless = played.post("/searches", {"name": "  ", "query": "signal=hiring"}, stale=False)
    assert nameless.status_code == 400 and "Give the search a name" in nameless.text
    bad = played.post("/searches", {"name": "Bad", "query": "signal=astrology"}, stale=False)
    assert bad.status_code == 400 and "has no value" in bad.text
    assert len(session.exec(select(SavedSearch)).all()) == 1
    gone = played.post("/searches/delete", {"search_id": str(stored.id)}, stale=False)
    assert gone.status_code == 303
    assert session.exec(select(SavedSearch)).all() == []
    missing = played.post("/searches/delete", {"search_id": str(stored.id)}, stale=False)
    assert missing.status_code == 404


def test_the_icps_signals_are_marked_once_researched(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, EXERCISE)
    rows = _prospects(played, signal="hiring", per_page=25)
    target = rows[0]
    before = _get(played, signal="hiring")
    assert 'data-testid="row-icp-signal"' not in before  # nothing researched yet
    profile = played.client.get(f"{played.base}/prospects/{target['id']}").text
    assert "ICP signal: Hiring" in profile
    after = _get(played, signal="hiring")
    assert "ICP: Hiring" in after


def test_a_profile_shows_revenue_and_funding_in_the_company_s_currency(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, EXERCISE)
    sandbox = played.sandbox()
    symbols = {"uk": "£", "us": "$"}
    for region, symbol in symbols.items():
        rows = _prospects(played, signal="funding", region=region, per_page=25)
        assert rows, f"no funded company in {region}"
        company = sandbox.world.company(rows[0]["company_id"])
        page = played.client.get(f"{played.base}/prospects/{rows[0]['id']}").text
        band = re.search(r'data-testid="revenue-band">([^<]*)<', page)
        assert band and symbol in band.group(1), (region, band)
        funding = company.facts[company.fact_tags.index("funding")]
        assert re.search(re.escape(symbol) + r"\d+M\b", funding) and funding in page
        if region == "uk":  # neither the band nor the round reads as US dollars
            assert "$" not in band.group(1) and "$" not in funding
