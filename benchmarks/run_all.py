"""Run every benchmark script in this folder."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    here = Path(__file__).parent
    for script in sorted(here.glob("bench_*.py")):
        print(f"== {script.name}")
        sys.stdout.flush()
        runpy.run_path(str(script), run_name="__main__")
