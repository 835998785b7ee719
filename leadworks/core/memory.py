"""Process memory settings that must be made before the worker's threads start."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("leadworks")

#: glibc's mallopt parameter for the number of heaps threads share (malloc.h).
M_ARENA_MAX = -8


def limit_malloc_arenas(arenas: int) -> bool:
    """Cap glibc's per-thread heaps at ``arenas``; True when the C library took it.

    A web worker serves requests from a thread pool, and glibc gives each allocating
    thread a heap of its own that it rarely hands back: resident memory grows with the
    pool's size rather than with the work. Other C libraries (musl, macOS) have no such
    setting, so this quietly does nothing there.
    """
    if arenas <= 0:
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    taken = bool(mallopt(M_ARENA_MAX, arenas))
    if not taken:
        log.debug("the C library refused mallopt(M_ARENA_MAX, %d)", arenas)
    return taken
