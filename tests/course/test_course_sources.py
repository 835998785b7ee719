"""Every figure and legal rule the course states is in docs/sources.md, with its source and the
date it was checked (issue 16, item 5); and the detector finds what it should on made-up text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from course.catalog import Catalog, CatalogError, load_catalog
from course.claims import blocks, check_markdown, figures_in
from course.source_registry import SOURCES_FILE, Registry, load_registry, normalise_token
from course.sources_check import check_course, check_document, documents

REGISTRY = load_registry()

# Where a legal rule's source must live: the statute, the regulator or the rule-maker itself.
PRIMARY_HOSTS = (
    "ecfr.gov",
    "govinfo.gov",
    "uscode.house.gov",
    "ftc.gov",
    "fcc.gov",
    "donotcall.gov",
    "flsenate.gov",
    "leg.state.fl.us",
    "hhs.gov",
    "hud.gov",
    "sec.gov",
    "finra.org",
    "legislation.gov.uk",
    "ico.org.uk",
    "tpsonline.org.uk",
    "fca.org.uk",
    "asa.org.uk",
    "crtc.gc.ca",
    "laws-lois.justice.gc.ca",
    "fightspam.gc.ca",
    "lnnte-dncl.gc.ca",
    "support.google.com",
    "senders.yahooinc.com",
    "techcommunity.microsoft.com",
    "learn.microsoft.com",
    "outlook.com",
    "linkedin.com",
    "federalregister.gov",
    "gesetze-im-internet.de",
    "oag.ca.gov",
)


def _documents() -> list[str]:
    try:
        catalog = load_catalog()
    except CatalogError:  # test_course_content reports why
        return []
    return sorted({document.id for document in documents(catalog)})


# --------------------------------------------------------------------------- the real course


@pytest.mark.parametrize("doc_id", _documents())
def test_every_figure_and_rule_is_in_sources_md(catalog: Catalog, doc_id: str) -> None:
    findings = [
        str(finding)
        for document in documents(catalog)
        if document.id == doc_id
        for finding in check_document(document, REGISTRY)
    ]
    assert findings == [], "add these to docs/sources.md (or fix the lesson):\n" + "\n".join(
        findings
    )


def test_sources_md_parses_cleanly() -> None:
    assert REGISTRY.problems == ()
    assert REGISTRY.rows, "docs/sources.md lists no figures or rules"
    ids = [row.id for row in REGISTRY.rows]
    assert len(ids) == len(set(ids)), "row ids repeat"


def test_every_row_says_where_it_comes_from_and_when_it_was_checked(catalog: Catalog) -> None:
    known = {d.id for d in documents(catalog)} | {"all"}
    for row in REGISTRY.rows:
        assert row.source.strip(), row.id
        checked = row.checked_date()
        assert checked is not None and checked <= date.today(), (row.id, row.checked)
        assert row.lessons and row.lessons <= known, (row.id, sorted(row.lessons - known))
        if row.kind == "rule":
            assert row.keys and row.laws, row.id
            hosts = [urlsplit(url).hostname or "" for url in row.urls]
            assert any(h == p or h.endswith("." + p) for h in hosts for p in PRIMARY_HOSTS), (
                f"{row.id}: a legal rule needs a statute, regulator or rule-maker page"
            )
        else:
            assert row.urls or "course" in row.source.casefold(), row.id


def test_no_registered_figure_is_stale(catalog: Catalog) -> None:
    """A figure listed for a lesson appears in it: sources.md does not vouch for old text."""
    texts: dict[str, str] = {}
    for document in documents(catalog):
        texts[document.id] = texts.get(document.id, "") + "\n" + document.markdown
    for row in REGISTRY.rows:
        wanted = set(row.figures)
        docs = texts if "all" in row.lessons else {k: texts[k] for k in row.lessons}
        found = {t for text in docs.values() for _, t in figures_in(text, legal=True)}
        assert wanted <= found, f"{row.id}: {sorted(wanted - found)} not found in {sorted(docs)}"


def test_drills_and_exercises_are_checked_on_what_learners_read(catalog: Catalog) -> None:
    """A drill's brief, shown cells and the key's explanations; an exercise's brief and
    deliverable: never the hidden answers, and never a drill's documents (drafts and
    transcripts the learner critiques, wrong on purpose)."""
    texts: dict[str, str] = {}
    for document in documents(catalog):
        texts[document.id] = texts.get(document.id, "") + " " + " ".join(document.markdown.split())
    assert catalog.drills and catalog.exercises
    for drill in catalog.drills.values():
        spec, text = drill.spec, texts.get(f"drill:{drill.id}", "")
        assert _words(spec.brief) in text, drill.id
        for item in spec.materials.items:
            cells = [item.get(c.name) for c in spec.materials.columns]
            assert all(_words(c) in text for c in cells if isinstance(c, str) and c), item
        rows = spec.key.get("rows", spec.key)
        for key in rows.values() if isinstance(rows, dict) else ():
            if isinstance(key, dict) and isinstance(key.get("why"), str):
                assert _words(key["why"]) in text, drill.id
        for doc in spec.materials.documents:
            assert _words(doc.text) not in text, (drill.id, doc.id)
    triage = texts["drill:compliance-triage-list"]
    assert "CASL needs consent" in triage and "weekends" in triage
    for exercise in catalog.exercises.values():
        text = texts.get(f"exercise:{exercise.id}", "")
        spec = exercise.spec
        for part in (spec.client.brief, spec.icp.summary, spec.deliverable.description):
            assert _words(part) in text, exercise.id


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_whole_course_check_agrees_with_the_per_document_one(catalog: Catalog) -> None:
    assert check_course(catalog, REGISTRY) == []


# --------------------------------------------------------------------------- the detector

TABLE = """\
## Figures

| ID | Figure | Claim | Source | Cited as | Checked | Lessons |
|---|---|---|---|---|---|---|
| reply | 3.43% | Average cold email reply rate | [Vendor](https://example.com/r) | Instantly | 2026-12-06 | demo |

## Legal rules

| ID | Law | Keys | Rule | Figures | Source | Checked | Lessons |
|---|---|---|---|---|---|---|---|
| optout | can-spam | opt-out; opt out | Honour opt-outs | 10 business days | [FTC](https://www.ftc.gov/x) | 2026-12-06 | demo |
"""


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    path = tmp_path_factory.mktemp("sources") / "sources.md"
    path.write_text(TABLE)
    return load_registry(path)


def _findings(registry: Registry, text: str, **options: Any) -> list[str]:
    return [f"{f.kind} {f.detail}" for f in check_markdown("demo", text, registry, **options)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The average cold email reply rate is 3.43% (Instantly).", []),
        ("Cold calls convert at 12% (Acme study).", ["figure '12%'"]),
        ("A lead costs about $310 from paid channels.", ["figure '$310'"]),
        ("SDRs make 52 calls a day.", ["figure '52/day'"]),
        ("Keep notes under 280 characters.", ["figure '280 characters'"]),
        ("Aim for 60-90 words.", ["figure '60-90'"]),
        ("More than 2,500 teams took part.", ["figure '2,500'"]),
        ("Growth of 5% is projected for 2024-2034.", ["figure '5%'", "figure '2024-2034'"]),
        ("Suppose 40% of these leads book (an assumption to replace with data).", []),
        ("## Worked example\n\nShe sends 60 emails and gets 3 replies: 5% of them.", []),
        ("## Worked example\n\nAt the 7% average (Instantly) she gets 4.", ["figure '7%'"]),
        ("> Hi Sam, 30% of salons lose a client a week.", []),
        ('!!! example "Card"\n    Funding of $2 million in April.', []),
        ("```text\nReply rate 99%\n```", []),
    ],
)
def test_figures_outside_sources_md_are_found(
    registry: Registry, text: str, expected: list[str]
) -> None:
    assert _findings(registry, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Under CAN-SPAM you must honour an opt-out within 10 business days "
            "([FTC](https://www.ftc.gov/x)).",
            [],
        ),
        (
            "Under CAN-SPAM you must honour an opt-out within 5 business days "
            "([FTC](https://www.ftc.gov/x)).",
            ["figure '5 business days'"],
        ),
        (
            "Under CAN-SPAM you must honour an opt-out within 10 business days.",
            ["citation without a registered source link"],
        ),
        (
            "Under CAN-SPAM every email must carry a coupon ([FTC](https://www.ftc.gov/x)).",
            ["rule (can-spam) matches no rule"],
        ),
        (
            "Under CASL you must reply to an opt-out request ([CRTC](https://crtc.gc.ca/y)).",
            ["rule (casl) matches no rule", "citation without a registered source link"],
        ),
        (
            "## CAN-SPAM\n\nThe rules ([FTC](https://www.ftc.gov/x)):\n\n"
            "- honour each opt-out within 10 business days;\n- subject lines must be honest.",
            ["rule (can-spam) matches no rule"],
        ),
    ],
)
def test_legal_rules_need_a_registered_rule_and_source(
    registry: Registry, text: str, expected: list[str]
) -> None:
    assert _findings(registry, text) == expected


def test_outside_the_compliance_module_a_link_to_it_is_a_citation(registry: Registry) -> None:
    text = "CAN-SPAM requires a working opt-out ([email rules](../07-compliance/email-rules.md))."
    assert _findings(registry, text, folder="06-outreach") == []
    assert _findings(registry, text, folder="06-outreach", compliance_module=True) == [
        "citation without a registered source link"
    ]
    # The same link from another module's folder resolves elsewhere and cites nothing.
    same_folder = "CAN-SPAM requires a working opt-out ([email rules](email-rules.md))."
    assert _findings(registry, same_folder, folder="07-compliance") == []
    assert _findings(registry, same_folder, folder="06-outreach") == [
        "citation without a registered source link"
    ]


def test_table_cells_and_link_texts_are_not_one_sentence(registry: Registry) -> None:
    # In a worked example, the local time in one cell is invented even though the next cell
    # states a rule; the rule itself is still checked.
    row = "| 5 | Leeds plumber | 2:00pm | May not call: he is on the TPS ([ICO](https://ico.org.uk/x)) |"
    table = f"## Worked example\n\n| # | Who | Time | Decision |\n|---|---|---|---|\n{row}"
    assert _findings(registry, table) == [
        "rule (tps) matches no rule",
        "citation without a registered source link",
    ]
    # A section number in a link's text is a citation, not a figure.
    assert _findings(registry, "See [16 CFR 310.4](https://www.ftc.gov/x) for details.") == []


def test_invented_numbers_stay_invented_unless_a_source_is_named(registry: Registry) -> None:
    text = "Suppose 40% book; no benchmark covers this case, so it is an assumption."
    assert _findings(registry, text) == []
    named = "Suppose 40% book, as Instantly found, an assumption we will test."
    assert _findings(registry, named) == ["figure '40%'"]


def test_quiz_situations_are_invented_but_their_rules_are_checked(registry: Registry) -> None:
    text = "A campaign got 12% replies from 250 people.\n\nCAN-SPAM allows 30 days for it."
    assert _findings(registry, text, scenario=True, require_links=False) == [
        "figure '30 days'",
        "rule (can-spam) matches no rule",
    ]


def test_calendar_dates_and_spam_reports_are_no_claims(registry: Registry) -> None:
    # An ISO date in a record says when, not how much: no "2025-10" range of years, no year.
    dated = "CAN-SPAM: honour each opt-out within 10 business days (asked 2025-10-20)."
    assert _findings(registry, dated, scenario=True, require_links=False) == []
    # "reported as spam" is what recipients do, not a source reporting a figure.
    spam = "On day 5, 0.35% of the messages delivered were reported as spam."
    assert _findings(registry, spam, scenario=True) == []
    assert _findings(registry, "A 12% reply rate was reported in 2025.", scenario=True) == [
        "figure '12%'"
    ]


def test_list_items_inherit_the_link_of_their_lead_in(registry: Registry) -> None:
    text = (
        "## CAN-SPAM\n\nIn plain words ([FTC](https://www.ftc.gov/x)):\n\n- each opt-out must work."
    )
    [item] = [b for b in blocks(text) if b.text.startswith("-")]
    assert item.lead_in == ("https://www.ftc.gov/x",)
    assert _findings(registry, text) == []


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("8 a.m.", "8am"),
        ("9:00 pm", "9pm"),
        ("£17.5m", "£17.5 million"),
        ("GBP 30-80", "£30-80"),
        ("27.7–44 %", "27.7-44%"),
        ("$53,088", "$53,088"),
        ("08:00", "8am"),
        ("21:30", "9:30pm"),
        ("12:00", "12pm"),
        ("00:30", "12:30am"),
    ],
)
def test_tokens_are_compared_in_one_spelling(raw: str, normal: str) -> None:
    assert normalise_token(raw) == normal


def test_sources_md_is_where_the_check_looks() -> None:
    assert SOURCES_FILE == Path(__file__).resolve().parents[2] / "docs" / "sources.md"
    assert re.search(r"^## Figures$", SOURCES_FILE.read_text(), re.MULTILINE)
