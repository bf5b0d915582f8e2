"""The command's allocator setting (accord._malloc, issue 15 start-up): NumPy temporaries
of a model's rounds come back from the heap instead of as fresh pages, each a fault."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = """
import json, resource, sys
import numpy as np
from accord import _malloc
tuned = _malloc.tune() if sys.argv[1] == "tune" else False
np.ones((64, 64, 64)).sum()  # warm up numpy's own first allocations
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(200):  # the shape of SMP's temporaries: a few 2 MB cubes at a time
    a = np.ones((64, 64, 64)); b = a * 2.0; c = b - a; del a, b, c
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
print(json.dumps([tuned, faults]))
"""


def _faults(mode: str, env: dict[str, str] | None = None) -> tuple[bool, int]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    tuned, faults = json.loads(done.stdout)
    return bool(tuned), int(faults)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_tuned_allocator_reuses_the_heap_for_temporaries() -> None:
    tuned, few = _faults("tune")
    untuned, many = _faults("plain")
    assert tuned and not untuned
    # 200 rounds x 3 cubes of 512 pages: untuned, most are fresh pages
    assert many > 50_000
    assert few < many / 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_users_own_allocator_settings_win() -> None:
    import os

    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "131072"}
    tuned, _ = _faults("tune", env)
    assert not tuned


def test_importing_accord_leaves_the_allocator_alone() -> None:
    code = "import accord, accord.models, accord.cli, sys\nprint('accord._malloc' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
