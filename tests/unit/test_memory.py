"""The worker caps glibc's heaps (see leadworks.core.memory)."""

from __future__ import annotations

import platform

import pytest

from leadworks.core.config import Settings
from leadworks.core.memory import limit_malloc_arenas


def test_the_default_caps_the_heaps_at_two() -> None:
    assert Settings().malloc_arenas == 2


def test_zero_leaves_the_c_library_alone() -> None:
    assert limit_malloc_arenas(0) is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_cap() -> None:
    assert limit_malloc_arenas(2) is True


def test_a_negative_count_is_refused_by_the_settings() -> None:
    with pytest.raises(ValueError, match="malloc_arenas"):
        Settings(malloc_arenas=-1)
