"""Record war.fight outputs of the current implementation (the oracle for the compact paths)."""
import sys
import numpy as np
from accord import war

CASES = {
    "learn": dict(N=20, start=10, theta=0.55, alpha_A=2.0, beta_A=2.0, alpha_B=2.0, beta_B=3.0,
                  c_A=0.01, c_B=0.01, runs=600, max_battles=300, rng=5),
    "frozen": dict(N=12, start=6, theta=0.5, alpha_A=3.0, beta_A=2.0, alpha_B=2.0, beta_B=3.0,
                   c_A=0.02, c_B=0.0, runs=400, max_battles=250, rng=11, update=False),
    "per_run": dict(N=30, start=12, theta=np.linspace(0.3, 0.7, 500), alpha_A=4.0, beta_A=2.0,
                    alpha_B=2.0, beta_B=4.0, c_A=np.linspace(0, 0.05, 500), c_B=0.01,
                    weight=np.linspace(0.2, 0.8, 500), runs=500, max_battles=200, rng=2024,
                    territory=(10.0, 90.0)),
    "censored": dict(N=40, start=20, theta=0.5, alpha_A=5.0, beta_A=1.0, alpha_B=1.0, beta_B=5.0,
                     c_A=0.0, c_B=0.0, runs=300, max_battles=60, rng=3),
    "absorbed": dict(N=10, start=0, theta=0.5, alpha_A=2.0, beta_A=2.0, alpha_B=2.0, beta_B=2.0,
                     c_A=0.0, c_B=0.0, runs=50, max_battles=30, rng=1),
    "no_battles": dict(N=10, start=5, theta=0.5, alpha_A=3.0, beta_A=2.0, alpha_B=2.0, beta_B=3.0,
                       c_A=0.0, c_B=0.0, runs=40, max_battles=0, rng=1),
    "settle_now": dict(N=10, start=5, theta=0.5, alpha_A=2.0, beta_A=2.0, alpha_B=2.0, beta_B=2.0,
                       c_A=0.1, c_B=0.1, runs=40, max_battles=20, rng=1),
}
out = {}
for name, kw in CASES.items():
    kw = dict(kw)
    args = [kw.pop(k) for k in ("N", "start", "theta", "alpha_A", "beta_A", "alpha_B", "beta_B", "c_A", "c_B")]
    r = war.fight(*args, **kw, keep_paths=True)
    for key in ("outcome", "time", "point", "territory", "front"):
        out[f"{name}.{key}"] = np.asarray(r[key])
    out[f"{name}.paths"] = np.asarray(r.paths)
    out[f"{name}.summary"] = np.array([r.mean_time, r.se_time, r.mean_time_ended, r.gap0,
                                       *r.p_outcome.values()], dtype=float)
    print(name, r.p_outcome, r.time.max(), np.asarray(r.paths).shape)
np.savez_compressed(sys.argv[1], **out)
