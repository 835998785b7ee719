"""The command line: JSON or text out, exit codes 0 / 2 / 1, stdin, and JSON Lines batches."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from grader_testkit import load_golden

import grader
from grader import grade
from grader.cli import main

STRONG = load_golden("email-dental-strong")
REQUEST = {"kind": "outreach", "submission": STRONG["submission"], "context": STRONG["context"]}


@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(REQUEST), encoding="utf-8")
    return path


def feed_stdin(monkeypatch: pytest.MonkeyPatch, data: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))


def test_file_to_json(request_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(request_file)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == grade("outreach", REQUEST["submission"], REQUEST["context"]).to_dict()


def test_stdin_dash(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    feed_stdin(monkeypatch, json.dumps(REQUEST))
    assert main(["-"]) == 0
    assert json.loads(capsys.readouterr().out)["score"] == STRONG["expected"]["score"]


def test_text_format_is_a_readable_report(
    request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = STRONG["submission"]["body"].replace("Hi Maria", "Hi there")
    request_file.write_text(
        json.dumps({**REQUEST, "submission": {**REQUEST["submission"], "body": body}})
    )
    assert main([str(request_file), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("outreach (rubric outreach 2.0.0)\nScore: 97 / 100 (97%)")
    assert "✗ greeting" in out and "advice: Greet the prospect by name: “Hi Maria,”." in out
    assert "✓ compliance" in out and "body[0:8]: “Hi there”" in out


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "error: input: invalid JSON (line 1, column 2)"),
        ("[1, 2]", "error: input: must be a JSON object with kind and submission"),
        ('{"submission": {}}', "error: kind: is missing"),
        ('{"kind": "outreach"}', "error: submission: is missing"),
        ('{"kind": "haiku", "submission": {}}', "error: kind: unknown kind 'haiku'"),
        (
            '{"kind": "outreach", "submission": {"channel": "email", "body": 3}}',
            "error: submission.body: must be a string",
        ),
        (
            '{"kind": "outreach", "submission": {"channel": "email", "body": "Hi"}, '
            '"context": {"prospect": 1}}',
            "error: context.prospect: must be an object",
        ),
    ],
)
def test_invalid_input_exits_2_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], payload: str, message: str
) -> None:
    feed_stdin(monkeypatch, payload)
    assert main(["-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(message)


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.json")]) == 2
    assert "No such file" in capsys.readouterr().err


def test_invalid_utf8_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"kind": "\xff"}')
    assert main([str(path)]) == 2
    assert "not valid UTF-8" in capsys.readouterr().err


def test_a_grader_fault_exits_1(
    monkeypatch: pytest.MonkeyPatch, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(submission: Any, context: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(grader.outreach, "grade_submission", broken)
    assert main([str(request_file)]) == 1
    assert "internal error while grading 'outreach'" in capsys.readouterr().err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--batch" in capsys.readouterr().out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


# ----------------------------------------------------------------------------- batch


def batch_lines() -> list[str]:
    quiz = load_golden("quiz-funnel-partial")
    return [
        json.dumps(REQUEST),
        "",
        json.dumps({"kind": "quiz", "submission": quiz["submission"], "context": quiz["context"]}),
        '{"kind": "outreach", "submission": {"channel": "email", "body": null}}',
        "not json",
    ]


def test_batch_writes_one_line_per_input_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_stdin(monkeypatch, "\n".join(batch_lines()) + "\n")
    assert main(["-", "--batch"]) == 2
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert len(out) == 4
    assert out[0]["kind"] == "outreach" and out[1]["kind"] == "quiz"
    assert out[2] == {
        "error": "submission.body: must be a string",
        "field": "submission.body",
        "line": 4,
    }
    assert out[3]["field"] == "input" and out[3]["line"] == 5
    assert "graded 2 of 4 lines" in captured.err and "2 invalid" in captured.err


def test_batch_of_good_lines_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_stdin(monkeypatch, "\n".join([json.dumps(REQUEST)] * 3))
    assert main(["-", "--batch"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_batch_with_a_grader_fault_exits_1_but_grades_the_rest(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(submission: Any, context: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(grader.quiz, "grade_submission", broken)
    feed_stdin(monkeypatch, "\n".join(batch_lines()))
    assert main(["-", "--batch"]) == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out[1]["internal"] is True and out[0]["kind"] == "outreach"


def test_batch_text_format(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    feed_stdin(monkeypatch, "\n".join(batch_lines()[:4]))
    main(["-", "--batch", "--format", "text"])
    out = capsys.readouterr().out
    assert "# line 1\noutreach (rubric outreach 2.0.0)" in out
    assert "# line 4\nerror: submission.body: must be a string" in out


def test_python_dash_m_grader_reads_stdin_bytes() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "grader", "-"],
        input=json.dumps(REQUEST, ensure_ascii=False).encode(),
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["score"] == STRONG["expected"]["score"]


def test_python_dash_m_grader_exit_code_on_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"kind": "quiz", "submission": {"answers": {}}, "context": {}}\n')
    run = subprocess.run(
        [sys.executable, "-m", "grader", str(path), "--batch"], capture_output=True, text=True
    )
    assert run.returncode == 2
    assert json.loads(run.stdout)["field"] == "context.quiz"


def test_batch_progress_bar_keeps_grades_on_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    feed_stdin(monkeypatch, "\n".join([json.dumps(REQUEST)] * 2))
    assert main(["-", "--batch"]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["kind"] for line in captured.out.splitlines()] == ["outreach"] * 2
    assert "graded 2 of 2 lines" in captured.err


def test_batch_survives_numbers_too_long_to_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 5,000-digit integer is refused on its own line; the lines after it are graded."""
    huge = "1" + "0" * 5000
    path = tmp_path / "batch.jsonl"
    lines = [
        '{"kind": "quiz", "submission": {"answers": {"q1": ' + huge + '}}, "context": {}}',
        '{"kind": "report", "submission": {"figures": {"cost_per_lead": 1'
        + "0" * 500
        + '}, "analysis": "x"}, "context": {}}',
        json.dumps(REQUEST),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main([str(path), "--batch", "--no-progress"]) == 2
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out[0]["line"] == 1 and "too many digits" in out[0]["error"]
    assert out[1]["field"] == "submission.figures.cost_per_lead" and "at most" in out[1]["error"]
    assert out[2]["rubric_id"] == "outreach"


def test_eval_subcommand_prints_the_agreement_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--worst", "2"]) == 0
    out = capsys.readouterr().out
    for part in ("all:", "tuning:", "held-out:", "per channel:", "per check:", "misorderings"):
        assert part in out
