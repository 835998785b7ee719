"""The CLI commands, on a local Typer app (the lead wires them into `leadworks`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from leadworks.cli.world import register

POLICY = Path(__file__).resolve().parents[2] / "simulator" / "policies" / "generic.yaml"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_market_json_with_and_without_truth() -> None:
    runner = CliRunner()
    public = runner.invoke(
        _app(), ["market", "--exercise", "cold-email-dental", "--seed", "3", "--json"]
    )
    assert public.exit_code == 0, public.output
    data = json.loads(public.output)
    assert data["contacts"] and "truth" not in data["contacts"][0]
    hidden = runner.invoke(
        _app(), ["market", "-e", "cold-email-dental", "-s", "3", "--json", "--truth"]
    )
    assert "truth" in json.loads(hidden.output)["contacts"][0]
    bad = runner.invoke(_app(), ["market", "-e", "no-such-exercise", "-s", "1"])
    assert bad.exit_code != 0 and "no-such-exercise" in bad.output


def test_simulate_then_replay_the_exported_log(tmp_path: Path) -> None:
    runner = CliRunner()
    log = tmp_path / "log.jsonl"
    result = runner.invoke(
        _app(),
        [
            "simulate",
            "-e",
            "cold-email-dental",
            "-s",
            "2",
            "--policy",
            str(POLICY),
            "--json",
            "--log",
            str(log),
        ],
    )
    assert result.exit_code == 0, result.output
    simulated = json.loads(result.output)
    assert simulated["activity"]["emails_sent"] > 0
    replayed = runner.invoke(_app(), ["replay", str(log), "--json"])
    assert replayed.exit_code == 0, replayed.output
    again = json.loads(replayed.output)
    assert again["stage_counts"] == simulated["stage_counts"]
    assert again["outcomes"] == simulated["outcomes"]
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:-3]) + "\n" + lines[-1].replace('"seq":', '"seq":9'))
    broken = runner.invoke(_app(), ["replay", str(log)])
    assert broken.exit_code == 1


def test_play_applies_actions_and_calibrate_prints_a_table(tmp_path: Path) -> None:
    actions = tmp_path / "actions.jsonl"
    actions.write_text(
        '{"type": "search", "decision_maker": true, "limit": 2}\n'
        '{"type": "view_profile", "contact_id": "nobody"}\n'
        '{"type": "advance_clock", "days": 1}\n'
    )
    runner = CliRunner()
    played = runner.invoke(_app(), ["play", "-e", "cold-email-dental", "-s", "1", str(actions)])
    assert played.exit_code == 0, played.output
    assert "refused" in played.output
    table = runner.invoke(_app(), ["calibrate", "--seeds", "1", "--companies", "60"])
    assert table.exit_code == 0, table.output
    assert "Lead -> MQL" in table.output


def test_simulate_answers_a_paid_channel_the_exercise_does_not_allow(tmp_path: Path) -> None:
    policy = tmp_path / "ads.yaml"
    text = POLICY.read_text(encoding="utf-8")
    policy.write_text(text + "paid:\n  - {day: 0, channel: search_ads, amount: 200}\n")
    result = CliRunner().invoke(
        _app(), ["simulate", "-e", "cold-email-dental", "-s", "2", "--policy", str(policy)]
    )
    assert result.exit_code == 2, result.output
    assert "search_ads" in result.output and "paid[0].channel" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_simulate_answers_an_outreach_channel_the_exercise_does_not_allow() -> None:
    """Email steps on a LinkedIn-only exercise: a clear refusal naming the step, not a run
    that silently sends nothing."""
    result = CliRunner().invoke(
        _app(), ["simulate", "-e", "linkedin-note-coaching", "-s", "2", "--policy", str(POLICY)]
    )
    assert result.exit_code == 2, result.output
    assert "email" in result.output and "steps[0].channel" in result.output
    assert "linkedin" in result.output  # what the exercise does allow
    assert "Traceback" not in result.output
