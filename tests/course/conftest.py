"""Shared fixtures for the course tests: the real catalog, one real strict build, the hook's
renderer, and a small fixture course in a temporary folder."""

from __future__ import annotations

import importlib.util
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from course.build import build_site
from course.catalog import COURSE_ROOT, Catalog, load_catalog
from tests.course.course_fixture import write_fixture_course

HOOKS_DIR = COURSE_ROOT / "hooks"


@dataclass(frozen=True)
class BuiltSite:
    path: Path
    seconds: float


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real course, built once with --strict into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("course-site") / "site"
    start = time.perf_counter()
    path = build_site(strict=True, quiet=True, site_dir=site_dir)
    return BuiltSite(path, time.perf_counter() - start)


def load_hook_module(name: str) -> ModuleType:
    """Import a module from course/hooks/ the way mkdocs does (by path, folder on sys.path)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HOOKS_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(HOOKS_DIR))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(HOOKS_DIR))
    return module


@pytest.fixture(scope="session")
def lesson_blocks() -> ModuleType:
    return load_hook_module("lesson_blocks")


@pytest.fixture
def fixture_course(tmp_path: Path) -> Path:
    """A minimal valid course (two modules, two lessons) under tmp_path/course."""
    return write_fixture_course(tmp_path)
