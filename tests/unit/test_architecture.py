"""The architecture's import rules hold, and breaking one really fails them.

The rules live in pyproject.toml as import-linter contracts; import-linter reads every
import statement, those inside functions included, so a late import cannot slip past.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from leadworks.core.config import PROJECT_ROOT

PACKAGES = ("leadworks", "simulator", "grader", "course")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contracts_hold() -> None:
    result = _lint(PROJECT_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _copy_sources(target: Path) -> None:
    shutil.copy(PROJECT_ROOT / "pyproject.toml", target / "pyproject.toml")
    for package in PACKAGES:
        for source in (PROJECT_ROOT / package).rglob("*.py"):
            if "site" in source.relative_to(PROJECT_ROOT / package).parts:
                continue
            copy = target / source.relative_to(PROJECT_ROOT)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, copy)


def test_a_forbidden_import_inside_a_function_breaks_the_contracts(tmp_path: Path) -> None:
    _copy_sources(tmp_path)
    (tmp_path / "leadworks/core/probe.py").write_text(
        "def late():\n    from leadworks.practice import service\n\n    return service\n"
    )
    (tmp_path / "grader/probe.py").write_text("def late():\n    import fastapi\n\n    return fastapi\n")
    (tmp_path / "course/probe.py").write_text("def late():\n    import simulator\n\n    return simulator\n")
    result = _lint(tmp_path)
    report = result.stdout
    assert result.returncode != 0, report
    assert "leadworks.core is not allowed to import leadworks.practice" in report
    assert "leadworks.core.probe -> leadworks.practice.service" in report
    assert "grader.probe -> fastapi" in report
    assert "course.probe -> simulator" in report
    # Every contract a probe reaches is broken (the grader's probe stays clear of the
    # engine and the course, so that one contract is still kept).
    assert "Contracts: 1 kept, 4 broken." in report
