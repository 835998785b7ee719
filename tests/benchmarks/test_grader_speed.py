"""Grader speed with the language layer warm, and a 10,000-line --batch run.

Targets (issue 12): an outreach grade of new text p50 under 20 ms and p95 under 60 ms on
one core; 10,000 mixed submissions through ``python -m grader --batch`` in under 3
minutes; the grader process under 600 MB. One template sent to 200 prospects must not run
the model 200 times from scratch (the segments parsed are printed). These print figures
and peak memory; they do not assert on time. Run with ``make bench`` (LEADWORKS_BENCH=1).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from grader import grade
from grader.language import language
from grader.outreach import analyse

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmarks run only with LEADWORKS_BENCH=1"
)

GOLDEN = Path(__file__).parent.parent / "grader" / "golden"
OUTREACH_GRADES = 2_000
TEMPLATE_PROSPECTS = 200
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


def _fresh(case: dict[str, Any], i: int) -> dict[str, Any]:
    """A copy in which every line is new text, so no sentence comes from the cache."""
    sub = json.loads(json.dumps(case["submission"]))
    sub["body"] = "\n".join(
        f"{line} (ref {i}-{n})" if line.strip() else line
        for n, line in enumerate(sub["body"].splitlines())
    )
    return {"kind": case["kind"], "submission": sub, "context": case["context"]}


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"p50 {1000 * statistics.median(ordered):.1f} ms, p95 {1000 * p95:.1f} ms"


def test_outreach_grade_latency_with_the_language_layer_warm() -> None:
    lang = language()  # built once, as in a worker
    cases = _cases("outreach")
    for case in cases:  # warm up every code path
        grade("outreach", case["submission"], case["context"])
    fresh, variant = [], []
    for i in range(OUTREACH_GRADES):
        for requests, samples in ((_fresh, fresh), (_variant, variant)):
            r = requests(cases[i % len(cases)], i)
            started = time.perf_counter()
            grade("outreach", r["submission"], r["context"])
            samples.append(time.perf_counter() - started)
    print(
        f"\noutreach grade(), every sentence new: {_ms(fresh)} (target p50 < 20, p95 < 60)"
        f"\noutreach grade(), a known message with one new line: {_ms(variant)}"
        f"\nsegments parsed by the model: {lang.segments_parsed:,}"
        f"\nload average while measuring: {os.getloadavg()[0]:.1f} (2 cores)"
        f"\npeak memory of this process: {_peak_mb():.0f} MB"
    )


def test_one_template_to_200_prospects() -> None:
    """The sandbox's send-to-all: one template rendered for each prospect, analysed each."""
    lang = language()
    case = max(_cases("outreach"), key=lambda c: c["submission"]["body"].count("\n"))
    template = case["submission"]["body"]
    first = case["context"]["prospect"]["first_name"]
    before, started = lang.segments_parsed, time.perf_counter()
    for i in range(TEMPLATE_PROSPECTS):
        body = template.replace(first, f"Prospect{i}") if first else template + f" {i}"
        analyse({**case["submission"], "body": body}, case["context"])
    seconds = time.perf_counter() - started
    print(
        f"\none template to {TEMPLATE_PROSPECTS} prospects: {1000 * seconds:.0f} ms in all, "
        f"{1000 * seconds / TEMPLATE_PROSPECTS:.1f} ms each; "
        f"{lang.segments_parsed - before} segments parsed by the model "
        f"(the template has {len(template.splitlines())} lines)"
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
        f"in {seconds:.1f} s = {BATCH_LINES / seconds:,.0f}/s (target < 180 s; < 600 MB)"
        f"\nload average: {os.getloadavg()[0]:.1f} (2 cores)"
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
