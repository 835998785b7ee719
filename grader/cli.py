"""Command line: ``python -m grader FILE`` (or ``leadworks grade FILE``); ``-`` reads stdin.

Input is one JSON object ``{"kind": ..., "submission": {...}, "context": {...}}``; the
Grade is printed as JSON, or as a readable report with ``--format text``. With ``--batch``
the input is JSON Lines: one output line per non-blank input line, in order, each a Grade
or ``{"error": ..., "field": ..., "line": n}``, with a progress bar on stderr when it is a
terminal (a one-line summary otherwise).

Exit codes: 0 every input was graded; 2 invalid input (the message names the field, e.g.
``error: submission.body: must be a string``); 1 the grader itself failed. In batch mode
1 wins over 2, and both still grade every other line.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from grader.errors import GradingError, SubmissionError
from grader.language import LanguageModelMissing
from grader.registry import KINDS, grade
from grader.results import Evidence, Grade

_LOG = logging.getLogger("grader")
EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_INVALID = 2


class InputError(Exception):
    """The input could not be read or parsed at all."""


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit code instead of exiting (so callers can embed it).

    ``python -m grader eval`` runs the outreach evaluation set instead (see
    :mod:`grader.evaluation`).
    """
    args_list = sys.argv[1:] if argv is None else list(argv)
    if args_list[:1] == ["eval"]:
        from grader.evaluation import main as evaluate

        return evaluate(args_list[1:])
    try:
        args = _parser().parse_args(args_list)
    except SystemExit as exc:  # --help, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_INVALID
    try:
        data = _read(args.file)
    except InputError as exc:
        _write(sys.stderr, f"error: {exc}\n")
        return EXIT_INVALID
    try:
        if args.batch:
            return _run_batch(data, args.format, progress=not args.no_progress)
        return _run_single(data, args.format)
    except LanguageModelMissing as exc:  # an install problem: say so, grade nothing
        _write(sys.stderr, f"error: {exc}\n")
        return EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade a Leadworks submission: "
        '{"kind": ..., "submission": {...}, "context": {...}}. '
        f"Kinds: {', '.join(KINDS)}. "
        "`python -m grader eval` measures the outreach rubric on its evaluation set.",
    )
    parser.add_argument("file", help="JSON file to grade, or - for standard input")
    parser.add_argument(
        "--format", choices=("json", "text"), default="json", help="output format (json)"
    )
    parser.add_argument("--batch", action="store_true", help="read JSON Lines and grade every line")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar in batch mode")
    return parser


def _read(path: str) -> str:
    try:
        if path == "-":
            stream = sys.stdin
            raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        else:
            with open(path, "rb") as f:
                raw = f.read()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"input: not valid UTF-8 (byte {exc.start})") from None


# ----------------------------------------------------------------------------- one request


def _parse(line: str) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    """Split one request into kind, submission and context (shape errors name the field)."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"input: invalid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError("input: JSON nested too deeply") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise InputError("input: a number in the JSON has too many digits to read") from None
    if not isinstance(request, dict):
        raise SubmissionError("input", "must be a JSON object with kind and submission", source="")
    if "kind" not in request:
        raise SubmissionError("kind", "is missing", source="")
    if "submission" not in request:
        raise SubmissionError("submission", "is missing", source="")
    return request["kind"], request["submission"], request.get("context")


def _grade_line(line: str) -> Grade:
    kind, submission, context = _parse(line)
    return grade(kind, submission, context)


def _run_single(data: str, fmt: str) -> int:
    try:
        result = _grade_line(data)
    except (InputError, SubmissionError) as exc:
        _write(sys.stderr, f"error: {exc}\n")
        return EXIT_INVALID
    except GradingError as exc:
        _write(sys.stderr, f"error: {exc}\n")
        return EXIT_INTERNAL
    if fmt == "text":
        _write(sys.stdout, render_text(result))
    else:
        _write(sys.stdout, json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


# ----------------------------------------------------------------------------- batch


def _run_batch(data: str, fmt: str, *, progress: bool) -> int:
    lines = [(n, line) for n, line in enumerate(data.splitlines(), start=1) if line.strip()]
    started = time.perf_counter()
    counts = {"graded": 0, "invalid": 0, "internal": 0}
    with _progress(len(lines), enabled=progress and sys.stderr.isatty()) as advance:
        for n, line in lines:
            _write(sys.stdout, _batch_output(n, line, fmt, counts))
            advance()
    seconds = time.perf_counter() - started
    _write(
        sys.stderr,
        f"graded {counts['graded']} of {len(lines)} lines in {seconds:.1f} s "
        f"({counts['invalid']} invalid, {counts['internal']} internal errors)\n",
    )
    if counts["internal"]:
        return EXIT_INTERNAL
    return EXIT_INVALID if counts["invalid"] else EXIT_OK


def _batch_output(n: int, line: str, fmt: str, counts: dict[str, int]) -> str:
    error: dict[str, Any]
    try:
        result = _grade_line(line)
    except SubmissionError as exc:
        counts["invalid"] += 1
        error = {"error": str(exc), "field": exc.location, "line": n}
    except InputError as exc:
        counts["invalid"] += 1
        error = {"error": str(exc), "field": "input", "line": n}
    except GradingError as exc:
        counts["internal"] += 1
        error = {"error": str(exc), "internal": True, "line": n}
    except LanguageModelMissing:
        raise  # nothing can be graded: stop, with the install message
    except Exception as exc:  # noqa: BLE001 - one bad line must never end the batch
        _LOG.exception("grader fault on batch line %d", n)
        counts["internal"] += 1
        error = {"error": f"internal error: {type(exc).__name__}", "internal": True, "line": n}
    else:
        counts["graded"] += 1
        if fmt == "text":
            return f"# line {n}\n{render_text(result)}\n"
        return json.dumps(result.to_dict(), ensure_ascii=False) + "\n"
    if fmt == "text":
        return f"# line {n}\nerror: {error['error']}\n\n"
    return json.dumps(error, ensure_ascii=False) + "\n"


@contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr, or a no-op when stderr is not a terminal."""
    if not enabled:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    # Rich would otherwise capture stdout, where the grades go, and print it on stderr.
    progress = Progress(
        console=Console(stderr=True), transient=True, redirect_stdout=False, redirect_stderr=False
    )
    with progress as bar:
        task = bar.add_task("grading", total=total)
        yield lambda: bar.advance(task)


# ----------------------------------------------------------------------------- text report


def render_text(result: Grade) -> str:
    """A plain-text report: score, then every check with its verdict, advice and evidence."""
    lines = [
        f"{result.kind} (rubric {result.rubric_id} {result.rubric_version})",
        f"Score: {result.score:g} / {result.possible:g} ({result.percent:g}%)",
        "",
    ]
    for c in result.checks:
        mark = "✓" if c.full_marks else "✗"
        lines.append(f"{mark} {c.id:<18} {c.points:>6g} / {c.possible:<4g} {c.verdict}")
        if c.advice:
            lines.append(f"    advice: {c.advice}")
        lines.extend(f"    {_evidence_text(e)}" for e in c.evidence)
    lines.extend(f"- {check_id}: skipped ({reason})" for check_id, reason in result.skipped)
    for i, part in enumerate(result.parts):
        lines.append(f"  part {i}: {part.kind} {part.score:g} / {part.possible:g}")
    return "\n".join(lines) + "\n"


def _evidence_text(e: Evidence) -> str:
    if e.is_span:
        return f"{e.field}[{e.start}:{e.end}]: “{e.quote}”" + (f" ({e.note})" if e.note else "")
    return f"{', '.join(e.record_ids)}" + (f": {e.note}" if e.note else "")


def _write(stream: TextIO, text: str) -> None:
    """Write, replacing what the stream's encoding cannot show instead of crashing."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
