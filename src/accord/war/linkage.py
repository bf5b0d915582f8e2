"""M5, indivisibility and linkage: trading across issues, and swapping land for land.

Indivisibility is a cause of war when no split of a good both sides accept exists (Fearon
1995), better read as a commitment problem (Powell 2006); it is socially constructed and
changes over time (Goddard 2006), and disputes entrench as they last (Hassner 2007).
Linkage creates gains when the sides value issues differently (Tollison & Willett 1979;
Maggi 2016). Equations below are *derived here* (accord's design note war-termination.md
§1 M5) from that logic; they are reductions to test, not quotations.

**Linkage** (*derived here*). Side i's utility over issues on a 0-``scale`` axis is
:math:`U_i = -\\sum_k s_{ik} |x_k - x_{ik}| / \\mathrm{scale}` with saliences
:math:`s_{ik}`. A package moves issue j toward side A by :math:`\\Delta_j` and issue k
toward side B by :math:`\\Delta_k` (both issues lying between the sides' ideals). Both gain
iff :math:`s_{Aj}\\Delta_j > s_{Ak}\\Delta_k` and :math:`s_{Bk}\\Delta_k > s_{Bj}\\Delta_j`,
i.e.

.. math:: \\frac{s_{Aj}}{s_{Ak}} > \\frac{\\Delta_k}{\\Delta_j} > \\frac{s_{Bj}}{s_{Bk}},

so salience ratios must differ (:func:`linkage_gain`). :func:`best_trade` picks the issue
pair and the package that maximise the Nash product of the two gains (Nash 1950; *derived
here*): for a rate :math:`r = \\Delta_k/\\Delta_j` the product is a parabola in r while
issue j's room binds and a parabola in 1/r while issue k's room binds, so the optimum is
the midpoint of the admissible ratios, the midpoint of their inverses, or the kink where
both rooms bind; all three are evaluated. :func:`package_moves` applies best trades until
none gains both sides.

**Land for land** (*derived here* from the commentary's logic plus linkage and
indivisibility). Side A holds a parcel of side B's land (the worked example: Ukraine's
Kursk incursion of August 2024). Each month B can (i) swap, (ii) counter-attack, retaking
the parcel with hazard ``h`` at monthly cost ``c``, or (iii) escalate (M7). While A holds it
B suffers domestic pressure :math:`a(t) = \\alpha A(t)` per month (``A(t)`` = area held).
With discount factor :math:`\\delta` the value to B of fighting for the parcel is
:math:`W = \\delta[hV - (c + a) + (1-h)W]`, so its largest price in its own held gains for
the parcel's immediate return, less the reputational cost :math:`\\psi` of bargaining over
its sovereign land, is

.. math:: R_{swap} = V\\Big[1 - \\frac{\\delta h}{1 - \\delta(1-h)}\\Big]
          + (c + a)\\,\\frac{\\delta}{1 - \\delta(1-h)} - \\psi

(:func:`swap_reservation`, ``a`` held constant). :math:`\\partial R_{swap}/\\partial h =
-[V\\delta(1-\\delta) + (c+a)\\delta^2]/(1-\\delta(1-h))^2 < 0`: a chip that is being
retaken depreciates; :math:`\\psi \\to \\infty` blocks every swap (worked example: Peskov,
Russia "will never discuss" exchanging its territory). A's minimum price is the chip's
value to its holder, :math:`U_{swap}(t) = u_0\\,(A(t)/A_0)^{\\eta}`, decaying as the parcel
shrinks (:func:`chip_value`). The swap is feasible iff some parcel T2 of A's land held by
B has :math:`v_B(T2) \\le R_{swap}` and :math:`v_A(T2) \\ge U_{swap}`
(:func:`swap_feasible`). :func:`land_swap` runs this month by month on the expected area
held, :math:`A(t) = A_0 (1-h)^t`, with the parcel's value to B scaling with its area.

Units: values, costs, pressure and :math:`\\psi` are in pie units (shares of the contested
issue), costs and pressure per month; areas in the scenario's unit (km²).

References
----------
* Fearon, J. D. (1995). Rationalist explanations for war. *IO* 49(3), 379-414.
* Powell, R. (2006). War as a commitment problem. *IO* 60(1), 169-203.
* Goddard, S. E. (2006). Uncommon ground: indivisible territory and the politics of
  legitimacy. *IO* 60(1), 35-68.
* Hassner, R. E. (2006/07). The path to intractability: time and the entrenchment of
  territorial disputes. *International Security* 31(3), 107-138.
* Tollison, R. D. & Willett, T. D. (1979). An economic theory of mutually advantageous
  issue linkages in international negotiations. *IO* 33(4), 425-449.
* Maggi, G. (2016). Issue linkage. *Handbook of Commercial Policy* 1B, 513-564.
* Nash, J. F. (1950). The bargaining problem. *Econometrica* 18(2), 155-162.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ModelError
from accord.war._common import WarResult, as_array, check_range, scalar_or_array

__all__ = [
    "Parcel",
    "best_trade",
    "chip_value",
    "land_swap",
    "linkage_gain",
    "package_moves",
    "swap_feasible",
    "swap_reservation",
]

FloatArray = NDArray[np.float64]
SIDES = ("A", "B")


@dataclass(frozen=True)
class Parcel:
    """A parcel of contested land: whose it is, who holds it, its area and its values.

    ``owner`` and ``holder`` are ``"A"`` or ``"B"`` (side A = a scenario's first
    belligerent); ``value_A`` and ``value_B`` are what the parcel is worth to each side in
    pie units; ``area`` is in the scenario's unit (km²). A parcel held by the side that does
    not own it is a bargaining chip (``owner != holder``).
    """

    name: str
    owner: str
    holder: str
    area: float
    value_A: float
    value_B: float

    def __post_init__(self) -> None:
        for field in ("owner", "holder"):
            if getattr(self, field) not in SIDES:
                raise ModelError(
                    "must be 'A' or 'B'",
                    path=f"parcels.{self.name}.{field}",
                    value=getattr(self, field),
                )
        for field in ("area", "value_A", "value_B"):
            check_range(f"parcels.{self.name}.{field}", getattr(self, field), 0.0)

    @property
    def chip(self) -> bool:
        """Held by the side that does not own it."""
        return self.owner != self.holder


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    """num/den with +inf where den = 0 < num and NaN where both are 0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.inf)
    return np.where((den == 0) & (num == 0), np.nan, out)


def _ratios_differ(
    saj: FloatArray, sak: FloatArray, sbj: FloatArray, sbk: FloatArray
) -> NDArray[np.bool_]:
    """s_Aj/s_Ak > s_Bj/s_Bk, cross-multiplied; ratios within 1e-12 (relative) are equal."""
    left, right = saj * sbk, sbj * sak
    return (saj > 0) & (sbk > 0) & (left - right > 1e-12 * (left + right))


def linkage_gain(
    s_Aj: ArrayLike,
    s_Ak: ArrayLike,
    s_Bj: ArrayLike,
    s_Bk: ArrayLike,
    delta_j: ArrayLike,
    delta_k: ArrayLike,
    *,
    scale: float = 100.0,
) -> WarResult:
    """Each side's gain from a package: issue j toward A by ``delta_j``, k toward B by ``delta_k``.

    Parameters
    ----------
    s_Aj, s_Ak, s_Bj, s_Bk : saliences (>= 0, e.g. on 0-1) of side A and side B for issues
        j and k.
    delta_j, delta_k : the moves, in issue points (>= 0), both within the sides' ideals.
    scale : the issues' scale width (utility is distance / scale).

    Returns
    -------
    WarResult with ``gain_A = (s_Aj·Δj - s_Ak·Δk)/scale``, ``gain_B = (s_Bk·Δk -
    s_Bj·Δj)/scale``, ``mutual`` (both > 0), ``ratio_A = s_Aj/s_Ak`` and ``ratio_B =
    s_Bj/s_Bk`` (the bounds on ``rate = Δk/Δj``; +inf where a denominator is 0) and
    ``linkable`` (``ratio_A > ratio_B``: some package gains both; ratios equal to 1e-12,
    relative, count as equal).
    """
    saj = check_range("s_Aj", s_Aj, 0.0)
    sak = check_range("s_Ak", s_Ak, 0.0)
    sbj = check_range("s_Bj", s_Bj, 0.0)
    sbk = check_range("s_Bk", s_Bk, 0.0)
    dj = check_range("delta_j", delta_j, 0.0)
    dk = check_range("delta_k", delta_k, 0.0)
    sc = float(check_range("scale", scale, 0.0, lo_open=True))
    saj, sak, sbj, sbk, dj, dk = np.broadcast_arrays(saj, sak, sbj, sbk, dj, dk)
    gain_a = (saj * dj - sak * dk) / sc
    gain_b = (sbk * dk - sbj * dj) / sc
    ratio_a = _ratio(saj, sak)
    ratio_b = _ratio(sbj, sbk)
    linkable = _ratios_differ(saj, sak, sbj, sbk)
    return WarResult.of(
        "linkage_gain",
        dict(
            gain_A=gain_a,
            gain_B=gain_b,
            mutual=(gain_a > 0) & (gain_b > 0),
            ratio_A=ratio_a,
            ratio_B=ratio_b,
            rate=_ratio(dk, dj),
            linkable=linkable,
        ),
    )


def _nash_at(
    r: FloatArray,
    saj: FloatArray,
    sak: FloatArray,
    sbj: FloatArray,
    sbk: FloatArray,
    room_j: FloatArray,
    room_k: FloatArray,
    r_lo: FloatArray,
    r_hi: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Nash product and moves at rate r (−inf where r is not an admissible rate)."""
    ok = np.isfinite(r) & (r > r_lo) & (r < r_hi) & (r > 0)
    rr = np.where(ok, r, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        dj = np.minimum(room_j, room_k / rr)
        dk = rr * dj
        prod = (saj * dj - sak * dk) * (sbk * dk - sbj * dj)
    ok &= np.isfinite(prod)
    return np.where(ok & (dj > 0), prod, -np.inf), dj, dk


def best_trade(
    s_A: ArrayLike,
    s_B: ArrayLike,
    room_A: ArrayLike,
    room_B: ArrayLike,
    *,
    scale: float = 100.0,
) -> WarResult:
    """The two-issue package with the largest Nash product of both sides' gains.

    Parameters
    ----------
    s_A, s_B : saliences of side A and side B, issues on the last axis (m >= 2).
    room_A, room_B : how far each issue can still move toward A's and toward B's ideal
        (issue points, >= 0); same shape.
    scale : the issues' scale width.

    Returns
    -------
    WarResult with ``exists`` (a package gaining both), ``issue_j`` (index of the issue that
    moves toward A; -1 if none), ``issue_k`` (toward B), ``delta_j``, ``delta_k``,
    ``gain_A``, ``gain_B`` and ``nash`` (their product); moves and gains are 0 where no
    package exists.
    """
    sa = check_range("s_A", s_A, 0.0)
    sb = check_range("s_B", s_B, 0.0)
    ra = check_range("room_A", room_A, 0.0)
    rb = check_range("room_B", room_B, 0.0)
    sc = float(check_range("scale", scale, 0.0, lo_open=True))
    sa, sb, ra, rb = np.broadcast_arrays(sa, sb, ra, rb)
    if sa.ndim == 0 or sa.shape[-1] < 2:
        raise ModelError("needs at least two issues on the last axis", path="s_A", value=sa.shape)
    m = sa.shape[-1]
    # pair grid: axis -2 = j (toward A), axis -1 = k (toward B)
    saj, sak = sa[..., :, None], sa[..., None, :]
    sbj, sbk = sb[..., :, None], sb[..., None, :]
    room_j, room_k = ra[..., :, None], rb[..., None, :]
    saj, sak, sbj, sbk, room_j, room_k = np.broadcast_arrays(saj, sak, sbj, sbk, room_j, room_k)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r_lo = np.where(sbk > 0, sbj / np.where(sbk > 0, sbk, 1.0), np.inf)
        r_hi = np.where(sak > 0, saj / np.where(sak > 0, sak, 1.0), np.inf)
        u_lo = np.where(saj > 0, sak / np.where(saj > 0, saj, 1.0), np.inf)  # 1/r_hi
        u_hi = np.where(sbj > 0, sbk / np.where(sbj > 0, sbj, 1.0), np.inf)  # 1/r_lo
        candidates = (
            (r_lo + r_hi) / 2,  # vertex while j's room binds
            1.0 / ((u_lo + u_hi) / 2),  # vertex while k's room binds
            room_k / np.where(room_j > 0, room_j, np.nan),  # both rooms bind
        )
    valid = _ratios_differ(saj, sak, sbj, sbk) & ~np.eye(m, dtype=bool)
    best = np.full(saj.shape, -np.inf)
    best_dj = np.zeros(saj.shape)
    best_dk = np.zeros(saj.shape)
    for r in candidates:
        prod, dj, dk = _nash_at(r, saj, sak, sbj, sbk, room_j, room_k, r_lo, r_hi)
        prod = np.where(valid, prod, -np.inf)
        better = prod > best
        best = np.where(better, prod, best)
        best_dj = np.where(better, dj, best_dj)
        best_dk = np.where(better, dk, best_dk)
    flat = best.reshape(*best.shape[:-2], m * m)
    idx = np.argmax(flat, axis=-1)
    top = np.take_along_axis(flat, idx[..., None], -1)[..., 0]
    exists = np.isfinite(top) & (top > 0)
    j, k = np.divmod(idx, m)
    dj_b = np.take_along_axis(best_dj.reshape(flat.shape), idx[..., None], -1)[..., 0]
    dk_b = np.take_along_axis(best_dk.reshape(flat.shape), idx[..., None], -1)[..., 0]
    dj_b = np.where(exists, dj_b, 0.0)
    dk_b = np.where(exists, dk_b, 0.0)
    sa_j = np.take_along_axis(sa, j[..., None], -1)[..., 0]
    sa_k = np.take_along_axis(sa, k[..., None], -1)[..., 0]
    sb_j = np.take_along_axis(sb, j[..., None], -1)[..., 0]
    sb_k = np.take_along_axis(sb, k[..., None], -1)[..., 0]
    gain_a = (sa_j * dj_b - sa_k * dk_b) / sc
    gain_b = (sb_k * dk_b - sb_j * dj_b) / sc
    return WarResult.of(
        "best_trade",
        dict(
            exists=exists,
            issue_j=np.where(exists, j, -1),
            issue_k=np.where(exists, k, -1),
            delta_j=dj_b,
            delta_k=dk_b,
            gain_A=gain_a,
            gain_B=gain_b,
            nash=np.where(exists, gain_a * gain_b, 0.0),
        ),
    )


def package_moves(
    x: ArrayLike,
    ideal_A: ArrayLike,
    ideal_B: ArrayLike,
    s_A: ArrayLike,
    s_B: ArrayLike,
    *,
    max_rounds: int | None = None,
    scale: float = 100.0,
) -> WarResult:
    """Apply :func:`best_trade` repeatedly: package moves across issues until none pays both.

    Parameters
    ----------
    x : the current positions, issues on the last axis (issue points).
    ideal_A, ideal_B : each side's ideal point per issue.
    s_A, s_B : saliences per issue.
    max_rounds : trades at most (default 4·m); each trade exhausts one side's room on one
        issue, and every trade raises both utilities, so the sequence ends.
    scale : the issues' scale width.

    Returns
    -------
    WarResult with ``x`` (positions after the trades), ``gain_A`` and ``gain_B`` (total
    utility gains), ``rounds`` (trades made, per batch row) and ``trades`` (one frame row
    per trade: round, batch index, issues j and k, moves and gains). Positions outside the
    interval between the two ideals are first clipped into it (noted).
    """
    x0 = as_array("x", x)
    ia, ib = as_array("ideal_A", ideal_A), as_array("ideal_B", ideal_B)
    sa = check_range("s_A", s_A, 0.0)
    sb = check_range("s_B", s_B, 0.0)
    x0, ia, ib, sa, sb = np.broadcast_arrays(x0, ia, ib, sa, sb)
    if x0.ndim == 0 or x0.shape[-1] < 2:
        raise ModelError("needs at least two issues on the last axis", path="x", value=x0.shape)
    m = x0.shape[-1]
    rounds_max = 4 * m if max_rounds is None else max_rounds
    if isinstance(rounds_max, bool) or not isinstance(rounds_max, int) or rounds_max < 0:
        raise ModelError("must be an integer >= 0", path="max_rounds", value=max_rounds)
    lo, hi = np.minimum(ia, ib), np.maximum(ia, ib)
    pos = np.clip(x0, lo, hi)
    notes = []
    if (pos != x0).any():
        notes.append("positions outside the sides' ideals were clipped into the interval")
    dir_a, dir_b = np.sign(ia - ib), np.sign(ib - ia)
    batch = pos.shape[:-1]
    total_a = np.zeros(batch)
    total_b = np.zeros(batch)
    made = np.zeros(batch, dtype=np.int64)
    log: list[dict[str, FloatArray]] = []
    for rnd in range(rounds_max):
        t = best_trade(sa, sb, np.abs(ia - pos), np.abs(ib - pos), scale=scale)
        ex = np.asarray(t.exists)
        if not ex.any():
            break
        j, k = np.asarray(t.issue_j), np.asarray(t.issue_k)
        onehot_j = (np.arange(m) == np.where(ex, j, -1)[..., None]).astype(float)
        onehot_k = (np.arange(m) == np.where(ex, k, -1)[..., None]).astype(float)
        pos = pos + onehot_j * dir_a * np.asarray(t.delta_j)[..., None]
        pos = pos + onehot_k * dir_b * np.asarray(t.delta_k)[..., None]
        pos = np.clip(pos, lo, hi)  # rounding only
        total_a = total_a + np.asarray(t.gain_A)
        total_b = total_b + np.asarray(t.gain_B)
        made = made + ex
        log.append(
            dict(
                round=np.full(int(ex.sum()), rnd, dtype=float),
                batch=np.flatnonzero(ex).astype(float),
                issue_j=j[ex].astype(float),
                issue_k=k[ex].astype(float),
                delta_j=np.asarray(t.delta_j)[ex],
                delta_k=np.asarray(t.delta_k)[ex],
                gain_A=np.asarray(t.gain_A)[ex],
                gain_B=np.asarray(t.gain_B)[ex],
            )
        )
    trades = {
        k: np.concatenate([row[k] for row in log]) if log else np.zeros(0)
        for k in ("round", "batch", "issue_j", "issue_k", "delta_j", "delta_k", "gain_A", "gain_B")
    }
    return WarResult.of(
        "package_moves",
        dict(gain_A=total_a, gain_B=total_b, rounds=made),
        x=pos,
        trades=trades,
        notes=notes,
    )


def swap_reservation(
    V: ArrayLike,
    h: ArrayLike,
    delta: ArrayLike,
    c: ArrayLike,
    psi: ArrayLike,
    *,
    alpha: ArrayLike = 0.0,
    area: ArrayLike = 0.0,
) -> WarResult:
    """R_swap: the most of its own held gains side B pays for its parcel's return now.

    Parameters
    ----------
    V : the parcel's value to its owner B (pie units, >= 0).
    h : monthly hazard that B retakes it by force, in [0, 1].
    delta : monthly discount factor in (0, 1).
    c : B's monthly cost of the counter-attack (pie units, >= 0).
    psi : B's reputational cost of bargaining over its own sovereign land (>= 0).
    alpha, area : domestic pressure per unit area per month and the area held; the monthly
        pressure is ``a = alpha·area``.

    Returns
    -------
    WarResult with ``R_swap``, ``fight_value`` (W: the value to B of fighting for the
    parcel), ``pressure`` (a) and ``dR_dh`` (the closed-form derivative in h, < 0 whenever
    V > 0 or c + a > 0).
    """
    v = check_range("V", V, 0.0)
    h_ = check_range("h", h, 0.0, 1.0)
    dl = check_range("delta", delta, 0.0, 1.0, lo_open=True, hi_open=True)
    c_ = check_range("c", c, 0.0)
    ps = check_range("psi", psi, 0.0)
    al = check_range("alpha", alpha, 0.0)
    ar = check_range("area", area, 0.0)
    v, h_, dl, c_, ps, al, ar = np.broadcast_arrays(v, h_, dl, c_, ps, al, ar)
    a = al * ar
    den = 1.0 - dl * (1.0 - h_)
    k = dl / den
    fight_value = h_ * k * v - (c_ + a) * k
    r_swap = v - fight_value - ps
    return WarResult.of(
        "swap_reservation",
        dict(
            V=v,
            h=h_,
            delta=dl,
            c=c_,
            psi=ps,
            pressure=a,
            fight_value=fight_value,
            R_swap=r_swap,
        ),
        dR_dh=scalar_or_array(-(v * dl * (1 - dl) + (c_ + a) * dl**2) / den**2),
    )


def chip_value(u0: ArrayLike, area: ArrayLike, area0: ArrayLike, *, eta: ArrayLike = 1.0) -> Any:
    """U_swap: the chip's value to its holder, ``u0·(area/area0)**eta`` (*derived here*).

    ``u0`` is the value at the reference area ``area0`` (> 0); the value decays as the
    parcel shrinks (``eta > 0``; 1 = in proportion to its area).
    """
    u = check_range("u0", u0, 0.0)
    a = check_range("area", area, 0.0)
    a0 = check_range("area0", area0, 0.0, lo_open=True)
    e = check_range("eta", eta, 0.0, lo_open=True)
    return scalar_or_array(np.asarray(u * (a / a0) ** e))


def swap_feasible(
    R_swap: ArrayLike, U_swap: ArrayLike, value_holder: ArrayLike, value_owner: ArrayLike
) -> WarResult:
    """Is some candidate parcel T2 a price both sides accept for the chip?

    The candidates are the chip holder's own land held by the chip's owner (worked example:
    occupied Ukrainian land for Kursk). ``value_holder`` and ``value_owner`` hold their
    values to the chip's holder and to its owner on the last axis; ``R_swap`` and ``U_swap``
    broadcast against the other axes. T2 qualifies iff ``value_owner <= R_swap`` (the owner
    gives it up) and ``value_holder >= U_swap`` (the holder takes it for the chip).

    Returns
    -------
    WarResult with ``feasible``, ``best`` (index of the qualifying parcel with the largest
    joint surplus ``(R_swap - v_owner) + (v_holder - U_swap)``; -1 if none), ``surplus`` (that
    surplus; NaN if none), ``shortfall`` (the smallest total violation over candidates,
    ``max(0, v_owner - R_swap) + max(0, U_swap - v_holder)``; 0 when feasible) and
    ``qualifies``
    (per candidate).
    """
    r = as_array("R_swap", R_swap)
    u = as_array("U_swap", U_swap)
    va = check_range("value_holder", value_holder, 0.0)
    vb = check_range("value_owner", value_owner, 0.0)
    va, vb = np.broadcast_arrays(va, vb)
    if va.ndim == 0 or va.shape[-1] == 0:
        raise ModelError(
            "needs at least one candidate parcel (last axis)",
            path="value_holder",
            value=va.tolist(),
        )
    rr, uu = r[..., None], u[..., None]
    qualifies = (vb <= rr) & (va >= uu)
    surplus = (rr - vb) + (va - uu)
    score = np.where(qualifies, surplus, -np.inf)
    best = np.argmax(score, axis=-1)
    feasible = qualifies.any(axis=-1)
    best_surplus = np.take_along_axis(score, best[..., None], -1)[..., 0]
    violation = np.maximum(0.0, vb - rr) + np.maximum(0.0, uu - va)
    return WarResult.of(
        "swap_feasible",
        dict(
            feasible=feasible,
            best=np.where(feasible, best, -1),
            surplus=np.where(feasible, best_surplus, np.nan),
            shortfall=violation.min(axis=-1),
        ),
        qualifies=qualifies,
    )


def land_swap(
    chip: Parcel,
    candidates: Sequence[Parcel],
    *,
    h: float,
    delta: float,
    c: float,
    psi: float,
    alpha: float = 0.0,
    eta: float = 1.0,
    months: int = 0,
) -> WarResult:
    """The land-for-land swap month by month: R_swap, U_swap and feasibility for t = 0..months.

    Parameters
    ----------
    chip : the parcel held by the side that does not own it (owner != holder).
    candidates : parcels of the holder's own land held by the chip's owner (what the holder
        could take back in exchange); others are refused.
    h, delta, c, psi, alpha : as in :func:`swap_reservation`, from the chip owner's side.
    eta : the chip's value decay exponent (:func:`chip_value`).
    months : the horizon; the expected area held is ``area·(1 - h)**t``.

    Returns
    -------
    WarResult with one row per month: ``month``, ``area`` (expected area held), ``R_swap``,
    ``U_swap``, ``feasible``, ``best`` (index into ``candidates``; -1 if none),
    ``shortfall``; and ``candidates`` (their names), ``first_feasible`` (the first month a
    swap is feasible; -1 if never) and ``dR_dh`` at t = 0.
    """
    if not chip.chip:
        raise ModelError(
            "must be held by the side that does not own it", path=f"parcels.{chip.name}"
        )
    if not candidates:
        raise ModelError("needs at least one parcel to swap for", path="candidates", value=[])
    for p in candidates:
        if p.owner != chip.holder or p.holder != chip.owner:
            raise ModelError(
                f"must be land of side {chip.holder} held by side {chip.owner}",
                path=f"parcels.{p.name}",
                value=f"owner {p.owner}, holder {p.holder}",
            )
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ModelError("must be an integer >= 0", path="months", value=months)
    if chip.area <= 0:
        raise ModelError("must be > 0 for a chip", path=f"parcels.{chip.name}.area", value=0.0)
    h_ = float(check_range("h", h, 0.0, 1.0))
    t = np.arange(months + 1, dtype=float)
    area = chip.area * (1.0 - h_) ** t
    owner_value = chip.value_A if chip.owner == "A" else chip.value_B
    holder_value = chip.value_A if chip.holder == "A" else chip.value_B
    res = swap_reservation(
        owner_value * area / chip.area, h_, delta, c, psi, alpha=alpha, area=area
    )
    u_swap = np.asarray(chip_value(holder_value, area, chip.area, eta=eta))
    # values to the chip's holder (who takes T2 back) and to its owner (who gives T2 up)
    v_holder = np.array([p.value_A if chip.holder == "A" else p.value_B for p in candidates])
    v_owner = np.array([p.value_A if chip.owner == "A" else p.value_B for p in candidates])
    r_swap = np.asarray(res.R_swap)
    feas = swap_feasible(r_swap, u_swap, v_holder, v_owner)
    ok = np.asarray(feas.feasible)
    return WarResult.of(
        "land_swap",
        dict(
            month=t,
            area=area,
            R_swap=r_swap,
            U_swap=u_swap,
            feasible=ok,
            best=feas.best,
            shortfall=feas.shortfall,
        ),
        chip=chip.name,
        candidates=tuple(p.name for p in candidates),
        candidate_values={"holder": v_holder, "owner": v_owner},
        first_feasible=int(np.argmax(ok)) if ok.any() else -1,
        dR_dh=float(np.asarray(res.dR_dh).ravel()[0]),
    )
