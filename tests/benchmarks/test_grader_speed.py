"""Grader speed: outreach grades per second on one core, and a 10,000-line --batch run.

Targets (issue 3): >= 1,000 outreach grades a second on one core; 10,000 mixed submissions
through ``python -m grader --batch`` in under 20 seconds. These print figures and peak
memory; they do not assert on time. Run with ``make bench`` (LEADWORKS_BENCH=1).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from grader import grade
from grader.outreach import analyse

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmarks run only with LEADWORKS_BENCH=1"
)

GOLDEN = Path(__file__).parent.parent / "grader" / "golden"
OUTREACH_GRADES = 5_000
BATCH_LINES = 10_000


def _cases(kind: str | None = None) -> list[dict[str, Any]]:
    pattern = f"{kind}/*.json" if kind else "*/*.json"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLDEN.glob(pattern))]


def _variant(case: dict[str, Any], i: int) -> dict[str, Any]:
    """A copy whose free text differs, so no cache sees the same message twice."""
    sub = json.loads(json.dumps(case["submission"]))
    if "body" in sub:
        sub["body"] += f"\nP.S. Note {i}."
    elif "analysis" in sub:
        sub["analysis"] += f" Run {i}."
    elif "steps" in sub:
        sub["steps"][0]["body"] += f"\nP.S. Note {i}."
    return {"kind": case["kind"], "submission": sub, "context": case["context"]}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def test_outreach_grades_per_second_on_one_core() -> None:
    cases = _cases("outreach")
    requests = [_variant(cases[i % len(cases)], i) for i in range(OUTREACH_GRADES)]
    started = time.perf_counter()
    for r in requests:
        grade("outreach", r["submission"], r["context"])
    seconds = time.perf_counter() - started
    signals_started = time.perf_counter()
    for r in requests:
        analyse(r["submission"], r["context"])
    signals_seconds = time.perf_counter() - signals_started
    print(
        f"\noutreach grade(): {OUTREACH_GRADES / seconds:,.0f} grades/s "
        f"({1000 * seconds / OUTREACH_GRADES:.2f} ms each; target >= 1,000/s)"
        f"\noutreach analyse(): {OUTREACH_GRADES / signals_seconds:,.0f} calls/s"
        f"\npeak memory of this process: {_peak_mb():.0f} MB"
    )


def test_batch_of_10000_mixed_submissions(tmp_path: Path) -> None:
    cases = _cases()
    path = tmp_path / "batch.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(BATCH_LINES):
            f.write(json.dumps(_variant(cases[i % len(cases)], i), ensure_ascii=False) + "\n")
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", _MAIN_WITH_PEAK, str(path), "--batch", "--no-progress"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert len(lines) == BATCH_LINES
    assert all('"rubric_version"' in line for line in lines)
    print(
        f"\n--batch: {BATCH_LINES:,} mixed submissions ({len(cases)} golden shapes, all six kinds) "
        f"in {seconds:.1f} s = {BATCH_LINES / seconds:,.0f}/s (target < 20 s)"
        f"\n{run.stderr.strip()}"
    )


# ``python -m grader`` runs exactly grader.cli.main; this adds the child's own peak memory.
# Linux carries a parent's peak RSS across fork and exec into ru_maxrss, so the child reads
# VmHWM (the peak of its own address space) and falls back to ru_maxrss elsewhere.
_MAIN_WITH_PEAK = """
import re, resource, sys
from grader.cli import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as f:
        kb = int(re.search(r"VmHWM:\\s+(\\d+)", f.read()).group(1))
except (OSError, AttributeError):
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"peak memory of the batch process: {kb / 1024:.0f} MB", file=sys.stderr)
sys.exit(code)
"""
