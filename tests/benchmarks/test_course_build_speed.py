"""How long the course build takes (issue 6 asks for under 30 seconds).

Runs only under `make bench` (LEADWORKS_BENCH=1); prints the time and the process's peak memory.
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from course.build import build_site

pytestmark = pytest.mark.skipif(
    os.environ.get("LEADWORKS_BENCH") != "1", reason="benchmark: set LEADWORKS_BENCH=1"
)

TARGET_SECONDS = 30.0


def test_course_build_speed(tmp_path: Path) -> None:
    start = time.perf_counter()
    site = build_site(strict=True, quiet=True, site_dir=tmp_path / "site")
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    pages = len(list(site.rglob("*.html")))
    print(f"\ncourse build: {seconds:.2f} s for {pages} pages; peak RSS {peak_mib:.0f} MiB")
    assert seconds < TARGET_SECONDS
