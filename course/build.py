"""Build the course site with mkdocs' Python API: what ``leadworks course build`` runs.

Why not shell out to ``mkdocs build``: the CLI and the tests call one function, get the
site folder back, and get every warning as data (``CourseBuildError.warnings``) instead of
parsing a subprocess's output.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from course.catalog import COURSE_ROOT

CONFIG_FILE = COURSE_ROOT / "mkdocs.yml"


class CourseBuildError(RuntimeError):
    """The build failed; ``warnings`` holds every warning and error mkdocs logged."""

    def __init__(self, message: str, warnings: list[str]) -> None:
        self.warnings = warnings
        details = "".join(f"\n  - {warning}" for warning in warnings)
        super().__init__(f"{message}{details}")


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(
    *,
    strict: bool = True,
    quiet: bool = False,
    site_dir: Path | None = None,
    docs_dir: Path | None = None,
    site_url: str | None = None,
) -> Path:
    """Build the site and return its folder (``course/site`` unless ``site_dir`` is given).

    ``strict`` turns every warning (broken link or anchor, a lesson problem) into a failure.
    ``quiet`` shows only warnings. ``docs_dir`` builds another lessons folder (tests use it
    with a fixture course) while keeping this course's theme, hooks and settings.
    ``site_url`` is where the app serves the site (mkdocs.yml says http://127.0.0.1:8000/course/);
    its path part must be the app's mount point, since the 404 page links from it.
    """
    logger = logging.getLogger("mkdocs")
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
    console.setLevel(logging.WARNING if quiet else logging.INFO)
    collector = _Collector()
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False  # our handlers print; don't print twice through the root logger
    logger.addHandler(console)
    logger.addHandler(collector)
    try:
        config = load_config(
            config_file=str(CONFIG_FILE),
            strict=strict,
            site_dir=str(site_dir) if site_dir is not None else None,
            docs_dir=str(docs_dir) if docs_dir is not None else None,
            site_url=site_url,
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:  # strict-mode abort, bad config, or a hook's error
        raise CourseBuildError(f"course build failed: {exc}", collector.messages) from None
    finally:
        logger.removeHandler(console)
        logger.removeHandler(collector)
        logger.setLevel(old_level)
        logger.propagate = old_propagate
    return Path(config.site_dir)
