"""The course catalog and exercise definitions, loaded once per process.

Content is read-only at run time (authors change it through git and a rebuild), so one
cached copy serves every request.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from course.catalog import Catalog, load_catalog
from leadworks.core.config import get_settings


@lru_cache(maxsize=1)
def course_catalog() -> Catalog:
    return load_catalog()


def exercises_dir() -> Path:
    """Where exercise definitions are read from (LEADWORKS_EXERCISES_DIR; benchmarks point
    it at a folder with a bigger market)."""
    return get_settings().exercises_dir
