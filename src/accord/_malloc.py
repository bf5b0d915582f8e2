"""glibc's allocator set for NumPy temporaries in the ``accord`` command's own process.

The models allocate and free many arrays of 0.1-30 MB per round (SMP's actors^3 cubes:
0.5 MB each at 40 actors). glibc serves allocations above its mmap threshold (128 kB at
start, raised as large chunks are freed) by fresh mappings, and gives the top of its heap
back to the system when more than the trim threshold is free, so a new temporary is
mostly fresh pages, each a page fault: ``accord run a040.yaml -m smp`` took about 27,000
minor page faults, 10,600 with the setting below, and SMP's rounds 30 % less CPU.

:func:`tune` sets what glibc's own dynamic adjustment ends at once a 32 MB chunk has been
freed (``M_MMAP_THRESHOLD`` at its 64-bit maximum, 32 MB, ``M_TRIM_THRESHOLD`` twice
that): arrays up to 32 MB are reused from the heap, larger ones (the blocks of
:mod:`accord.limits`) are still mapped and unmapped, and at most 64 MB of freed heap is
kept. Only for the command-line process (:mod:`accord.__main__`): importing accord as a
library changes nothing, and a user's own ``MALLOC_*`` or ``GLIBC_TUNABLES`` settings win.
Numbers are unaffected (only where memory comes from).
"""

from __future__ import annotations

import os
import sys

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "tune"]

MMAP_THRESHOLD = 32 * 2**20  # glibc's DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # as glibc sets it when it raises the mmap threshold
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt parameters (<malloc.h>)
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES")


def tune() -> bool:
    """Set glibc's mmap and trim thresholds for this process; ``False`` where it does not
    apply (not Linux, no ``mallopt``, the user set the allocator up, a 32-bit build)."""
    if not sys.platform.startswith("linux") or sys.maxsize < 2**32:
        return False
    if any(name in os.environ for name in _USER_SETTINGS):
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success; the mmap threshold first (setting it fixes both)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
