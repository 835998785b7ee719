"""The course catalog and exercise definitions, loaded once per process.

Content is read-only at run time (authors change it through git and a rebuild), so one
cached copy serves every request.
"""

from __future__ import annotations

from functools import lru_cache

from course.catalog import Catalog, load_catalog


@lru_cache(maxsize=1)
def course_catalog() -> Catalog:
    return load_catalog()
