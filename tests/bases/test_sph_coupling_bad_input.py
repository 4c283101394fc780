"""Bad-input table for the spherical-harmonic, rotation, coupling and exact modules.

Every public callable of ``specnum.bases.sphharm`` (except the sphere-grid names it
re-exports from ``specnum.bases.spheregrid``, which has its own table), ``rotations``,
``coupling`` and ``exact`` is called with NaN, infinite, empty, wrong-shape, wrong-dtype
and huge-size arguments, one argument at a time. Each call must raise ``ValueError`` or
``TypeError`` whose message names the argument, within a second (huge sizes are refused
by the size budget before any work), or -- for the few inputs with a well-defined answer,
listed in ``VALID_EDGE_CASES`` -- return that answer.
"""

from __future__ import annotations

import re
import signal
import time
from fractions import Fraction

import numpy as np
import pytest

from specnum.bases import coupling, exact, rotations, sphharm

NAN, INF = float("nan"), float("inf")

# scalar integer arguments: (kind, value)
INT_BAD = [("nan", NAN), ("inf", INF), ("-inf", -INF), ("empty", []), ("shape", (1, 2)), ("array", np.array([1, 2])),
           ("str", "3"), ("float", 2.5), ("complex", 1 + 2j), ("none", None), ("bool", True)]
# float-array arguments (angles)
ANGLE_BAD = [("nan", NAN), ("inf", [0.1, INF]), ("complex", np.array([0.1 + 1j])), ("str", "0.1"),
             ("object", [None]), ("ragged", [[0.1], [0.1, 0.2]]), ("dict", {"a": 1})]
HUGE_ANGLES = np.broadcast_to(0.1, (10**5, 10**5))  # a view: 1e10 points, no memory


def _int_rows(func, valid, names):
    return [(func, valid, name, kind, value) for name in names for kind, value in INT_BAD]


def _rows():
    rows = []
    # ---------------------------------------------------------------- sphharm
    rows += _int_rows(sphharm.num_coeffs, {"lmax": 3}, ["lmax"])
    rows += [(sphharm.num_coeffs, {"lmax": 3}, "lmax", "negative", -1)]
    rows += [r for r in _int_rows(sphharm.flat_index, {"l": 2, "m": 1}, ["l", "m"])
             if r[3] not in ("shape", "array")]  # integer arrays are valid input
    rows += [
        (sphharm.flat_index, {"l": 2, "m": 1}, "l", "float array", np.array([2.0])),
        (sphharm.flat_index, {"l": 2, "m": 1}, "m", "nan array", np.array([NAN])),
        (sphharm.flat_index, {"l": 2, "m": 1}, "l", "int64 overflow", np.array([4 * 10**9])),
        (sphharm.flat_index, {"l": np.arange(10**5)[:, None], "m": 0}, "m",
         "huge broadcast", np.zeros((1, 10**5), dtype=int)),
        (sphharm.flat_index, {"l": np.arange(3), "m": 0}, "m", "shape", np.zeros(4, dtype=int)),
    ]
    rows += _int_rows(sphharm.degree_order, {"lmax": 3}, ["lmax"])
    rows += [(sphharm.degree_order, {"lmax": 3}, "lmax", "huge", 10**9),
             (sphharm.degree_order, {"lmax": 3}, "lmax", "huger", 10**400)]
    sh = {"lmax": 3, "theta": 0.3, "phi": 0.2}
    rows += _int_rows(sphharm.real_sph_harm, sh, ["lmax"])
    rows += [(sphharm.real_sph_harm, sh, "lmax", "huge", 10**5), (sphharm.real_sph_harm, sh, "lmax", "huger", 10**30)]
    rows += [(sphharm.real_sph_harm, sh, name, kind, v) for name in ("theta", "phi") for kind, v in ANGLE_BAD]
    rows += [
        (sphharm.real_sph_harm, sh, "theta", "huge", HUGE_ANGLES),
        (sphharm.real_sph_harm, {**sh, "theta": np.zeros((1, 10**5))}, "phi", "huge", np.zeros((10**5, 1))),
        (sphharm.real_sph_harm, {**sh, "theta": np.zeros(3)}, "phi", "shape", np.zeros(4)),
        (sphharm.real_sph_harm, sh, "normalization", "unknown", "schmidt"),
        (sphharm.real_sph_harm, sh, "normalization", "none", None),
        (sphharm.real_sph_harm, sh, "normalization", "nan", NAN),
        (sphharm.real_sph_harm, sh, "normalization", "list", ["integral"]),
        (sphharm.real_sph_harm, sh, "condon_shortley", "str", "yes"),
        (sphharm.real_sph_harm, sh, "condon_shortley", "nan", NAN),
        (sphharm.real_sph_harm, sh, "condon_shortley", "int", 1),
    ]
    xyz = {"lmax": 3, "vectors": [0.0, 0.0, 1.0]}
    rows += _int_rows(sphharm.real_sph_harm_xyz, xyz, ["lmax"])
    rows += [(sphharm.real_sph_harm_xyz, xyz, "vectors", kind, v) for kind, v in [
        ("nan", [NAN, 0.0, 1.0]), ("inf", [[0.0, INF, 1.0]]), ("zero", [0.0, 0.0, 0.0]), ("empty", []),
        ("shape", [1.0, 2.0]), ("shape2", np.ones((3, 4))), ("scalar", 1.0), ("complex", [1j, 0, 1]),
        ("str", ["a", "b", "c"]), ("object", [None, None, None]), ("ragged", [[1.0, 2.0, 3.0], [1.0]]),
        ("huge", np.broadcast_to([0.0, 0.0, 1.0], (10**10, 3)))]]
    rows += [(sphharm.real_sph_harm_xyz, xyz, "normalization", "unknown", "unit"),
             (sphharm.real_sph_harm_xyz, xyz, "condon_shortley", "none", None)]
    # ---------------------------------------------------------------- rotations
    wd = {"lmax": 2, "R": np.eye(3)}
    rows += _int_rows(rotations.wigner_D_real, wd, ["lmax"])
    rows += [(rotations.wigner_D_real, wd, "lmax", "huge", 10**4)]
    rows += [(rotations.wigner_D_real, wd, "R", kind, v) for kind, v in [
        ("nan", np.full((3, 3), NAN)), ("inf", np.diag([1.0, INF, 1.0])), ("empty", []), ("shape", np.eye(4)),
        ("shape2", np.ones(3)), ("scalar", 1.0), ("complex", np.eye(3) * 1j), ("str", "eye"),
        ("object", [[None] * 3] * 3), ("not orthogonal", 2 * np.eye(3)), ("improper", -np.eye(3)),
        ("huge", np.broadcast_to(np.eye(3), (10**5, 10**5, 3, 3)))]]
    rows += [(rotations.random_rotation, {"rng": 0}, "rng", kind, v) for kind, v in [
        ("nan", NAN), ("str", "seed"), ("float", 2.5), ("none", None), ("array", np.zeros(2)), ("bool", True)]]
    rows += [(rotations.random_rotation, {"rng": 0, "size": 2}, "size", kind, v) for kind, v in [
        ("nan", NAN), ("inf", INF), ("negative", -1), ("str", "3"), ("float", 2.5), ("tuple float", (2, 2.5)),
        ("nested", [[2]]), ("huge", 10**12), ("huge tuple", (10**6, 10**6)), ("huger", 10**400)]]
    eu = {"alpha": 0.1, "beta": 0.2, "gamma": 0.3}
    rows += [(rotations.rotation_from_euler_zyz, eu, name, kind, v)
             for name in ("alpha", "beta", "gamma") for kind, v in ANGLE_BAD]
    rows += [(rotations.rotation_from_euler_zyz, eu, "beta", "huge", HUGE_ANGLES),
             (rotations.rotation_from_euler_zyz, {**eu, "alpha": np.zeros(2)}, "gamma", "shape", np.zeros(3))]
    # ---------------------------------------------------------------- coupling (float64)
    for func in (coupling.wigner_3j, exact.wigner_3j_exact):
        rows += _int_rows(func, dict(j1=1, j2=1, j3=0, m1=0, m2=0, m3=0), ["j1", "j2", "j3", "m1", "m2", "m3"])
        rows += [(func, dict(j1=10**5, j2=10**5, j3=0, m1=0, m2=0, m3=0), "j3", "huge", 10**5),
                 (func, dict(j1=1, j2=1, j3=0, m1=0, m2=0, m3=0), "m1", "out of range", 2)]
    for func in (coupling.clebsch_gordan, exact.clebsch_gordan_exact):
        rows += _int_rows(func, dict(j1=1, m1=0, j2=1, m2=0, j3=0, m3=0), ["j1", "m1", "j2", "m2", "j3", "m3"])
        rows += [(func, dict(j1=10**5, m1=0, j2=10**5, m2=0, j3=0, m3=0), "j3", "huge", 10**5)]
    for func in (coupling.complex_gaunt, coupling.real_gaunt, exact.complex_gaunt_exact, exact.real_gaunt_exact):
        valid = dict(l1=1, m1=0, l2=1, m2=0, l3=2, m3=0)
        rows += _int_rows(func, valid, ["l1", "m1", "l2", "m2", "l3", "m3"])
        rows += [(func, dict(l1=10**5, m1=0, l2=10**5, m2=0, l3=0, m3=0), "l3", "huge", 10**5)]
    rows += _int_rows(coupling.gaunt_kappa, dict(l1=1, l2=1, l3=2), ["l1", "l2", "l3"])
    rows += [(coupling.gaunt_kappa, dict(l1=10**5, l2=10**5, l3=0), "l3", "huge", 10**5)]
    for func in (coupling.real_gaunt_sparse, coupling.real_gaunt_table):
        valid = dict(lmax1=1, lmax2=1, lmax_out=2)
        rows += [r for r in _int_rows(func, valid, ["lmax1", "lmax2", "lmax_out"])
                 if not (r[2] == "lmax_out" and r[3] == "none")]  # None: the default lmax1 + lmax2
        rows += [(func, valid, "lmax1", "huge", 10**9), (func, valid, "lmax_out", "huge", 10**9),
                 (func, dict(lmax1=200, lmax2=1, lmax_out=None), "lmax2", "huge", 200),
                 (func, dict(lmax1=10**9, lmax2=1, lmax_out=None), "lmax1", "huger", 10**30)]
    rows += _int_rows(coupling.wigner_3j_sequence, dict(l1=1, l2=1, m1=0, m2=0), ["l1", "l2", "m1", "m2"])
    rows += [(coupling.wigner_3j_sequence, dict(l1=1, l2=1, m1=0, m2=0), "l1", "huge", 10**9),
             (coupling.wigner_3j_sequence, dict(l1=2**25, l2=1, m1=0, m2=0), "l2", "huge", 2**25 + 1)]
    for func in (coupling.wigner_3j_block, coupling.real_coupling_block):
        rows += _int_rows(func, dict(l1=1, l2=1, l3=1), ["l1", "l2", "l3"])
        rows += [(func, dict(l1=10**4, l2=10**4, l3=1), "l3", "huge", 10**4),
                 (func, dict(l1=1, l2=1, l3=1), "l1", "huger", 10**9)]
    sp = coupling.real_gaunt_sparse(1, 1)
    fields = dict(k1=sp.k1.copy(), k2=sp.k2.copy(), k3=sp.k3.copy(), values=sp.values.copy(),
                  indptr=sp.indptr.copy(), shape=sp.shape, lmax1=1, lmax2=1, lmax_out=2)
    bad_values = sp.values.copy()
    bad_values[3] = NAN
    rows += [(coupling.GauntSparse, fields, name, kind, v) for name, kind, v in [
        ("values", "nan", bad_values), ("values", "inf", np.where(sp.values > 0, INF, sp.values)),
        ("values", "dtype", sp.values.astype(np.float32)), ("values", "shape", sp.values[:-1].copy()),
        ("k1", "dtype", sp.k1.astype(float)), ("k1", "out of range", sp.k1 + 100), ("k2", "empty", sp.k2[:0].copy()),
        ("k3", "shape", sp.k3.reshape(1, -1)), ("k3", "list", sp.k3.tolist()),
        ("indptr", "shape", sp.indptr[:-1].copy()), ("indptr", "dtype", sp.indptr.astype(np.int32)),
        ("indptr", "decreasing", sp.indptr[::-1].copy()), ("shape", "wrong", (4, 4, 4)), ("shape", "none", None),
        ("lmax1", "nan", NAN), ("lmax1", "huge", 10**9), ("lmax_out", "str", "2"), ("lmax2", "negative", -1)]]
    # ---------------------------------------------------------------- exact
    rows += [(exact.SqrtRational, dict(sign=1, q=Fraction(1, 3)), name, kind, v) for name, kind, v in [
        ("sign", "nan", NAN), ("sign", "inf", INF), ("sign", "float", 1.0), ("sign", "range", 2), ("sign", "empty", []),
        ("q", "nan", NAN), ("q", "inf", INF), ("q", "float", 0.5), ("q", "negative", Fraction(-1)), ("q", "empty", []),
        ("q", "str", "1/3"), ("q", "array", np.array([1])), ("pi_power", "nan", NAN), ("pi_power", "float", 0.5)]]
    for func, valid in [(exact.wigner_3j_mp, dict(j1=1, j2=1, j3=0, m1=0, m2=0, m3=0)),
                        (exact.clebsch_gordan_mp, dict(j1=1, m1=0, j2=1, m2=0, j3=0, m3=0)),
                        (exact.complex_gaunt_mp, dict(l1=1, m1=0, l2=1, m2=0, l3=2, m3=0)),
                        (exact.real_gaunt_mp, dict(l1=1, m1=0, l2=1, m2=0, l3=2, m3=0))]:
        rows += _int_rows(func, valid, list(valid) + ["dps"])
        rows += [(func, valid, "dps", "huge", 10**9), (func, valid, "dps", "zero", 0)]
    rows += _int_rows(exact.gauss_legendre_mp, dict(n=3, dps=20), ["n", "dps"])
    rows += [(exact.gauss_legendre_mp, dict(n=3, dps=20), "n", "huge", 10**6),
             (exact.gauss_legendre_mp, dict(n=3, dps=20), "dps", "huge", 10**9)]
    return rows


ROWS = _rows()


def _rid(row):
    func, _, name, kind, _ = row
    return f"{func.__module__.rsplit('.', 1)[-1]}.{func.__name__}-{name}-{kind}"


class _Hang(Exception):
    pass


@pytest.fixture
def alarm():
    """Turn a hang in Python code into a failure after 20 s (numba kernels cannot be interrupted)."""
    def handler(signum, frame):
        raise _Hang("call did not return within 20 s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("row", ROWS, ids=[_rid(r) for r in ROWS])
def test_bad_argument_is_refused_quickly_and_named(row, alarm):
    func, valid, name, _, value = row
    t0 = time.perf_counter()
    with pytest.raises((ValueError, TypeError)) as info:
        func(**{**valid, name: value})
    elapsed = time.perf_counter() - t0
    assert re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", str(info.value)), str(info.value)
    assert elapsed < 1.0, f"refused after {elapsed:.2f} s"


# inputs that look degenerate but have a well-defined answer (and cost nothing)
VALID_EDGE_CASES = [
    ("empty angles give an empty batch", lambda: sphharm.real_sph_harm(3, [], 0.2), (0, 16)),
    ("empty vector batch", lambda: sphharm.real_sph_harm_xyz(2, np.zeros((0, 3))), (0, 9)),
    ("empty rotation batch", lambda: rotations.wigner_D_real(2, np.zeros((0, 3, 3))), (0, 9, 9)),
    ("empty Euler batch", lambda: rotations.rotation_from_euler_zyz([], 0.0, 0.0), (0, 3, 3)),
    ("empty random batch", lambda: rotations.random_rotation(0, size=0), (0, 3, 3)),
    ("empty flat-index arrays", lambda: sphharm.flat_index(np.zeros(0, dtype=int), 0), (0,)),
]


@pytest.mark.parametrize("label, call, shape", VALID_EDGE_CASES, ids=[c[0] for c in VALID_EDGE_CASES])
def test_empty_batches_give_empty_results(label, call, shape):
    assert call().shape == shape


def test_exact_answers_without_work_at_huge_arguments():
    # sizes that cost nothing: the exact answer is returned, not refused
    big = 10**30
    assert sphharm.num_coeffs(big) == (big + 1) ** 2
    assert sphharm.flat_index(big, -big) == big * big
    assert coupling.wigner_3j(1, 1, big, 0, 0, 0) == 0.0  # triangle rule
    assert exact.real_gaunt_exact(big, 0, 0, 0, 1, 0).sign == 0
    assert float(exact.SqrtRational(1, Fraction(1, 10**700))) == 0.0  # 1e-350: below float64
    assert float(exact.SqrtRational(1, Fraction(1, 10**620))) == pytest.approx(1e-310, rel=1e-10, abs=5e-324)


def test_table_covers_every_public_callable():
    # a new public name needs rows here (the sphere-grid names have their own table)
    covered = {r[0] for r in ROWS}
    skipped = {"SphereGrid", "sphere_grid", "analysis", "synthesis"}
    for mod in (sphharm, rotations, coupling, exact):
        for public in mod.__all__:
            obj = getattr(mod, public)
            if callable(obj) and public not in skipped:
                assert obj in covered, f"{mod.__name__}.{public} has no bad-input rows"


def test_refusals_follow_the_size_budget():
    # the limits are the budget in force, not hard-coded sizes: lowering it refuses small calls
    import specnum

    assert sphharm.real_sph_harm(10, 0.3, 0.2).shape == (121,)
    with specnum.size_budget(memory=500.0):
        with pytest.raises(ValueError, match="lmax = 10 .* size budget"):
            sphharm.real_sph_harm(10, 0.3, 0.2)
    with specnum.size_budget(work=1e6):
        with pytest.raises(ValueError, match="j1, j2, j3 = .* size budget"):
            exact.wigner_3j_exact(200, 200, 200, 0, 0, 0)
        with pytest.raises(ValueError, match="dps"):
            exact.real_gaunt_mp(1, 0, 1, 0, 2, 0, dps=2000)
