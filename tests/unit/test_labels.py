"""Words for people: names for contact ids, labels for field paths, checks and stages."""

from __future__ import annotations

import pytest

from leadworks.submissions.labels import check_label, field_label, humanize, readable


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("figures.conversion_rates.lead_to_mql", "Lead → MQL conversion rate"),
        ("conversion_rates.mql_to_sql", "MQL → SQL conversion rate"),
        ("figures.stage_counts.sql", "SQL count"),
        ("figures.reply_rate_by_channel.linkedin", "LinkedIn reply rate"),
        ("figures.cost_per_acquisition", "Cost per customer"),
        ("steps[1].body", "Step 2 message"),
        ("leads[0].criteria.budget", "Lead 1 budget"),
        ("body", "Message"),
    ],
)
def test_field_paths_read_as_words(path: str, label: str) -> None:
    assert field_label(path) == label


def test_check_ids_read_as_words() -> None:
    assert check_label("work_research") == "Research in the run"
    assert check_label("step2.call_to_action") == "Step 2: Call to action"
    assert check_label("greeting") == "Greeting"


def test_sentences_get_names_labels_and_stage_words() -> None:
    names = {"p000005": "Maya Graham"}
    text = "p000005 and p000009 are off; figures.conversion_rates.mql_to_sql; mql -> sql"
    assert humanize(text, names) == (
        "Maya Graham and p000009 are off; MQL → SQL conversion rate; MQL → SQL"
    )


def test_a_stored_grade_keeps_ids_for_links_and_adds_labels() -> None:
    result = {
        "checks": [
            {
                "id": "fit_precision",
                "points": 1,
                "possible": 2,
                "verdict": "p000005 does not fit.",
                "evidence": [{"record_ids": ["p000005", "figures.cost_per_lead"], "note": "x"}],
            }
        ],
        "parts": [],
    }
    shown = readable(result, {"p000005": "Maya Graham"})
    (check,) = shown["checks"]
    assert check["verdict"] == "Maya Graham does not fit."
    assert check["evidence"][0]["record_ids"] == ["p000005", "figures.cost_per_lead"]
    assert check["evidence"][0]["labels"] == ["Maya Graham", "Cost per lead"]
    assert result["checks"][0]["verdict"] == "p000005 does not fit."  # the input is untouched
