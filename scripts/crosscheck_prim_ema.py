"""Cross-check accord's PRIM against EMA Workbench's (optional; not part of ``make test``).

EMA Workbench needs Python >= 3.12 and brings a GPL dependency (platypus-opt), so it is
never a dependency of accord. Run it in a scratch virtual environment outside the repo::

    python3.12 -m venv /tmp/ema-venv && /tmp/ema-venv/bin/pip install ema_workbench
    /tmp/ema-venv/bin/python scripts/crosscheck_prim_ema.py tests/data/ema_prim.json

It draws the planted-box data of ``tests/test_prim.py::planted`` (same generator, same
seed), runs ``prim.Prim(x, y, obj_function=ORIGINAL, peel_alpha=0.05, mass_min=0.05)``
and records EMA's peeling trajectory (coverage, density, mass, restricted dimensions)
and the box it finds as JSON; ``tests/test_prim.py`` compares accord's trajectory with it.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

N, SEED, ALPHA, MASS_MIN, THRESHOLD = 4000, 1, 0.05, 0.05, 0.9


def planted(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 5)), columns=list("abcde"))
    box = ((x["a"] > 0.6) & (x["b"] < 0.3)).to_numpy()
    y = np.where(box, rng.random(n) < 0.95, rng.random(n) < 0.03)
    return x, y


def main(path: str) -> None:
    import ema_workbench
    from ema_workbench.analysis import prim

    x, y = planted(N, SEED)
    p = prim.Prim(
        x, y.astype(int), peel_alpha=ALPHA, mass_min=MASS_MIN,
        obj_function=prim.PRIMObjectiveFunctions.ORIGINAL,
    )  # fmt: skip
    box = p.find_box()
    traj = box.peeling_trajectory
    out = {
        "ema_workbench": ema_workbench.__version__,
        "python": sys.version.split()[0],
        "n": N,
        "seed": SEED,
        "peel_alpha": ALPHA,
        "mass_min": MASS_MIN,
        "threshold": THRESHOLD,
        "note": "EMA pastes after peeling: the last rows of the trajectory may be pasting steps",
        "trajectory": {
            "coverage": traj["coverage"].round(6).tolist(),
            "density": traj["density"].round(6).tolist(),
            "mass": traj["mass"].round(6).tolist(),
            "restricted": traj["res_dim"].astype(int).tolist(),
        },
        "box": {
            "coverage": float(box.coverage),
            "density": float(box.density),
            "mass": float(box.mass),
            "limits": box.box_lims[-1].to_dict(),
        },
    }
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(out, fh, indent=1, default=float)
        fh.write("\n")
    print(
        f"wrote {path}: {len(traj)} steps; "
        f"box coverage {box.coverage:.3f}, density {box.density:.3f}"
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "ema_prim.json")
