"""Every public name of specnum.chebtucker refuses bad input clearly and at once.

Each row calls one entry point with one bad argument (NaN, inf, empty, wrong shape,
wrong type, a hopeless size) and requires a ``ValueError`` or ``TypeError`` whose
message names the argument, raised within a second (before any work). A test also
checks that every name in ``__all__`` has rows, so a new public name cannot slip past.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import specnum.chebtucker as ct
from specnum.chebtucker import ChebTucker

NAN, INF = float("nan"), float("inf")
BOX = ((-2.0, 2.0),) * 3
RNG = np.random.default_rng(0)
POS = RNG.uniform(-1.5, 1.5, (20, 3))
Q = RNG.uniform(-1, 1, 20)
TGT = RNG.uniform(-1.5, 1.5, (5, 3))
F = ChebTucker.from_function(lambda x, y, z: x * y + np.cos(z), BOX, 8)
BIG = 10**6
HUGE_POS = np.zeros((BIG, 3))
HUGE_Q = np.zeros(BIG)


def _with(array, index, value):
    out = np.array(array, dtype=np.float64)
    out[index] = value
    return out


def _nan_core():
    return ChebTucker(BOX, np.full((1, 1, 1), NAN), [np.eye(3)[:, :1]] * 3)


# (public name, label, call, exception, text the message must contain)
CASES = [
    # ChebTucker: constructor, classmethods, methods
    ("ChebTucker", "core NaN", _nan_core, ValueError, "core"),
    ("ChebTucker", "core inf", lambda: ChebTucker(BOX, np.full((1, 1, 1), INF), [np.eye(3)[:, :1]] * 3),
     ValueError, "core"),
    ("ChebTucker", "core strings", lambda: ChebTucker(BOX, np.array([[["a"]]]), [np.eye(3)[:, :1]] * 3),
     TypeError, "core"),
    ("ChebTucker", "factor wrong shape", lambda: ChebTucker(BOX, np.ones((1, 1, 1)), [np.eye(3)[:, :2]] * 3),
     ValueError, "factors[0]"),
    ("ChebTucker", "factor empty", lambda: ChebTucker(BOX, np.ones((1, 1, 1)), [np.zeros((0, 1))] * 3),
     ValueError, "factors[0]"),
    ("ChebTucker", "box NaN", lambda: ChebTucker(((NAN, 1.0), (0, 1), (0, 1)), np.ones((1, 1, 1)),
                                                 [np.eye(3)[:, :1]] * 3), ValueError, "box[0]"),
    ("ChebTucker", "factors not a sequence", lambda: ChebTucker(BOX, np.ones((1, 1, 1)), 3.0), TypeError, "factors"),
    ("ChebTucker", "from_function f NaN", lambda: ChebTucker.from_function(lambda x, y, z: x * NAN, BOX, 4),
     ValueError, "f"),
    ("ChebTucker", "from_function box inf", lambda: ChebTucker.from_function(np.add, ((0, INF), (0, 1), (0, 1)), 4),
     ValueError, "box[0]"),
    ("ChebTucker", "from_function n huge", lambda: ChebTucker.from_function(lambda x, y, z: x, BOX, 10**5),
     ValueError, "n = (100000"),
    ("ChebTucker", "from_function n_max huge",
     lambda: ChebTucker.from_function(lambda x, y, z: x, BOX, None, n_max=10**5), ValueError, "n_max"),
    ("ChebTucker", "from_function n string", lambda: ChebTucker.from_function(lambda x, y, z: x, BOX, "8"),
     TypeError, "n"),
    ("ChebTucker", "from_function rtol NaN", lambda: ChebTucker.from_function(lambda x, y, z: x, BOX, 4, rtol=NAN),
     ValueError, "rtol"),
    ("ChebTucker", "from_values NaN", lambda: ChebTucker.from_values(_with(np.ones((4, 4, 4)), (1, 1, 1), NAN), BOX),
     ValueError, "values"),
    ("ChebTucker", "from_values 2D", lambda: ChebTucker.from_values(np.ones((4, 4)), BOX), ValueError, "values"),
    ("ChebTucker", "from_values empty", lambda: ChebTucker.from_values(np.ones((0, 4, 4)), BOX), ValueError, "values"),
    ("ChebTucker", "from_values complex", lambda: ChebTucker.from_values(np.ones((4, 4, 4)) * 1j, BOX),
     TypeError, "values"),
    ("ChebTucker", "from_cp weights inf", lambda: ChebTucker.from_cp([INF], [np.ones((4, 1))] * 3, BOX),
     ValueError, "weights"),
    ("ChebTucker", "from_cp factor mismatch", lambda: ChebTucker.from_cp([1.0], [np.ones((4, 2))] * 3, BOX),
     ValueError, "factors_1d[0]"),
    ("ChebTucker", "call NaN", lambda: F(_with(TGT, (0, 0), NAN)), ValueError, "points"),
    ("ChebTucker", "call inf", lambda: F(_with(TGT, (0, 0), INF)), ValueError, "points"),
    ("ChebTucker", "call wrong shape", lambda: F(np.ones((5, 2))), ValueError, "points"),
    ("ChebTucker", "call strings", lambda: F(np.array([["a", "b", "c"]])), TypeError, "points"),
    ("ChebTucker", "call outside", lambda: F([[0.0, 0.0, 9.0]]), ValueError, "points"),
    ("ChebTucker", "call huge", lambda: F(np.broadcast_to(np.zeros(3), (10**10, 3))), ValueError, "points"),
    ("ChebTucker", "gradient NaN", lambda: F.gradient(_with(TGT, (1, 2), NAN)), ValueError, "points"),
    ("ChebTucker", "on_grid NaN", lambda: F.on_grid([NAN], [0.0], [0.0]), ValueError, "x"),
    ("ChebTucker", "on_grid 2D", lambda: F.on_grid([0.0], [[0.0]], [0.0]), ValueError, "y"),
    ("ChebTucker", "on_grid huge", lambda: F.on_grid(*[np.zeros(4000)] * 3), ValueError, "x, y, z"),
    ("ChebTucker", "to_grid_tucker inf", lambda: F.to_grid_tucker([0.0], [0.0], [INF]), ValueError, "z"),
    ("ChebTucker", "recompress rtol NaN", lambda: F.recompress(NAN), ValueError, "rtol"),
    ("ChebTucker", "add non-ChebTucker", lambda: F.add(3.0), TypeError, "other must be a ChebTucker"),
    ("ChebTucker", "hadamard rtol inf", lambda: F.hadamard(F, rtol=INF), ValueError, "rtol"),
    ("ChebTucker", "scale NaN", lambda: F.scale(NAN), ValueError, "alpha"),
    ("ChebTucker", "scale string", lambda: F.scale("2"), TypeError, "alpha"),
    ("ChebTucker", "derivative axis", lambda: F.derivative(3), ValueError, "axis"),
    ("ChebTucker", "derivative m huge", lambda: F.derivative(0, m=10**15), ValueError, "m = "),
    ("ChebTucker", "inner non-ChebTucker", lambda: F.inner(np.ones(3)), TypeError, "other must be a ChebTucker"),
    # Tucker tools on arrays
    ("hosvd", "NaN", lambda: ct.hosvd(_with(np.ones((3, 3, 3)), (0, 0, 0), NAN)), ValueError, "tensor"),
    ("hosvd", "inf", lambda: ct.hosvd(_with(np.ones((3, 3, 3)), (0, 0, 0), INF)), ValueError, "tensor"),
    ("hosvd", "empty", lambda: ct.hosvd(np.ones((0, 3, 3))), ValueError, "tensor"),
    ("hosvd", "2D", lambda: ct.hosvd(np.ones((3, 3))), ValueError, "tensor"),
    ("hosvd", "strings", lambda: ct.hosvd(np.full((2, 2, 2), "x")), TypeError, "tensor"),
    ("hosvd", "rank too large", lambda: ct.hosvd(np.ones((3, 3, 3)), ranks=(1, 9, 1)), ValueError, "ranks[1]"),
    ("hosvd", "rtol NaN", lambda: ct.hosvd(np.ones((3, 3, 3)), rtol=NAN), ValueError, "rtol"),
    ("hosvd", "huge", lambda: ct.hosvd(np.broadcast_to(np.zeros(1), (2000, 2000, 2000))), ValueError, "tensor"),
    ("hooi", "NaN", lambda: ct.hooi(_with(np.ones((3, 3, 3)), (2, 2, 2), NAN), 1), ValueError, "tensor"),
    ("hooi", "ranks string", lambda: ct.hooi(np.ones((3, 3, 3)), "ab"), TypeError, "ranks"),
    ("hooi", "sweeps huge", lambda: ct.hooi(np.ones((30, 30, 30)), 2, sweeps=10**12), ValueError, "sweeps"),
    ("tucker_to_full", "core inf", lambda: ct.tucker_to_full(np.full((1, 1, 1), INF), [np.ones((2, 1))] * 3),
     ValueError, "core"),
    ("tucker_to_full", "factor columns", lambda: ct.tucker_to_full(np.ones((1, 1, 1)), [np.ones((2, 2))] * 3),
     ValueError, "factors[0]"),
    ("tucker_to_full", "huge", lambda: ct.tucker_to_full(np.ones((1, 1, 1)), [np.ones((BIG, 1))] * 3),
     ValueError, "factors"),
    # potentials
    ("long_range_potential", "positions NaN", lambda: ct.long_range_potential(_with(POS, (0, 1), NAN), Q, BOX),
     ValueError, "positions"),
    ("long_range_potential", "charges inf", lambda: ct.long_range_potential(POS, _with(Q, 3, INF), BOX),
     ValueError, "charges"),
    ("long_range_potential", "positions 2 columns", lambda: ct.long_range_potential(POS[:, :2], Q, BOX),
     ValueError, "positions"),
    ("long_range_potential", "charges strings", lambda: ct.long_range_potential(POS, Q.astype(str), BOX),
     TypeError, "charges"),
    ("long_range_potential", "box NaN", lambda: ct.long_range_potential(POS, Q, ((NAN, 1), (0, 1), (0, 1))),
     ValueError, "box[0]"),
    ("long_range_potential", "r0 tiny", lambda: ct.long_range_potential(POS, Q, BOX, r0=1e-300), ValueError, "r0"),
    ("long_range_potential", "r0 small for the box", lambda: ct.long_range_potential(POS, Q, BOX, r0=1e-8),
     ValueError, "r0"),
    ("long_range_potential", "n huge", lambda: ct.long_range_potential(POS, Q, BOX, n=10**6), ValueError, "budget"),
    ("direct_potential", "targets NaN", lambda: ct.direct_potential(POS, Q, _with(TGT, (2, 2), NAN)),
     ValueError, "targets"),
    ("direct_potential", "targets wrong shape", lambda: ct.direct_potential(POS, Q, np.ones((4, 4))),
     ValueError, "targets"),
    ("direct_potential", "kernel unknown", lambda: ct.direct_potential(POS, Q, TGT, kernel="coulomb"),
     ValueError, "kernel"),
    ("direct_potential", "huge", lambda: ct.direct_potential(HUGE_POS, HUGE_Q, HUGE_POS), ValueError, "sources"),
    ("direct_gradient", "charges NaN", lambda: ct.direct_gradient(POS, _with(Q, 0, NAN), TGT), ValueError, "charges"),
    ("direct_gradient", "r0 inf", lambda: ct.direct_gradient(POS, Q, TGT, kernel="erf", r0=INF), ValueError, "r0"),
    ("short_range_potential", "cutoff NaN", lambda: ct.short_range_potential(POS, Q, TGT, cutoff=NAN),
     ValueError, "cutoff"),
    ("short_range_potential", "empty targets axis", lambda: ct.short_range_potential(POS, Q, np.ones((3, 0))),
     ValueError, "targets"),
    ("short_range_potential", "kappa inf", lambda: ct.short_range_potential(POS, Q, TGT, kernel="yukawa", kappa=INF),
     ValueError, "kappa"),
    ("short_range_potential", "huge cutoff", lambda: ct.short_range_potential(HUGE_POS, HUGE_Q, HUGE_POS, cutoff=1e6),
     ValueError, "budget"),
    ("total_potential", "targets outside", lambda: ct.total_potential(POS, Q, [[0, 0, 9.0]], BOX),
     ValueError, "targets"),
    ("total_potential", "rtol 1", lambda: ct.total_potential(POS, Q, TGT, BOX, rtol=1.0), ValueError, "rtol"),
    ("coulomb_energy_forces", "positions outside box", lambda: ct.coulomb_energy_forces(POS + 5, Q, box=BOX),
     ValueError, "positions"),
    ("total_potential", "r0 unknown word", lambda: ct.total_potential(POS, Q, TGT, BOX, r0="fast"), ValueError, "r0"),
    ("total_potential", "r0 None", lambda: ct.total_potential(POS, Q, TGT, BOX, r0=None), TypeError, "r0"),
    ("coulomb_energy_forces", "r0 unknown word", lambda: ct.coulomb_energy_forces(POS, Q, r0="Auto"), ValueError,
     "r0"),
    ("coulomb_energy_forces", "auto r0, positions NaN",
     lambda: ct.coulomb_energy_forces(_with(POS, (1, 2), NAN), Q), ValueError, "positions"),
    ("splitting_radius", "positions NaN", lambda: ct.splitting_radius(_with(POS, (0, 1), NAN)), ValueError,
     "positions"),
    ("splitting_radius", "positions 2 columns", lambda: ct.splitting_radius(POS[:, :2]), ValueError, "positions"),
    ("splitting_radius", "positions strings", lambda: ct.splitting_radius([["a", "b", "c"]]), TypeError, "positions"),
    ("coulomb_energy_forces", "charges complex", lambda: ct.coulomb_energy_forces(POS, Q * 1j), TypeError, "charges"),
    ("direct_energy_forces", "positions inf", lambda: ct.direct_energy_forces(_with(POS, (0, 0), INF), Q),
     ValueError, "positions"),
    ("direct_energy_forces", "huge", lambda: ct.direct_energy_forces(HUGE_POS, HUGE_Q), ValueError, "sources"),
    ("split_kernel", "r NaN", lambda: ct.split_kernel([NAN]), ValueError, "r"),
    ("split_kernel", "r negative", lambda: ct.split_kernel([-1.0]), ValueError, "r must be >= 0"),
    ("split_kernel", "r strings", lambda: ct.split_kernel(["a"]), TypeError, "r"),
    ("split_kernel", "kappa NaN", lambda: ct.split_kernel([1.0], "slater", kappa=NAN), ValueError, "kappa"),
    ("gaussian_quadrature", "max_distance inf", lambda: ct.gaussian_quadrature(INF, 1.0), ValueError, "max_distance"),
    ("gaussian_quadrature", "r0 NaN", lambda: ct.gaussian_quadrature(1.0, NAN), ValueError, "r0"),
    ("gaussian_quadrature", "points huge", lambda: ct.gaussian_quadrature(1.0, 1.0, points_per_interval=10**9),
     ValueError, "points_per_interval"),
]

# public names that are result containers, not entry points (nothing to call with user input)
NOT_ENTRY_POINTS = {"EnergyForces"}


def test_every_public_name_has_bad_input_rows():
    covered = {name for name, *_ in CASES}
    assert set(ct.__all__) - NOT_ENTRY_POINTS <= covered, set(ct.__all__) - NOT_ENTRY_POINTS - covered


@pytest.mark.parametrize("name, label, call, exc, text", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_bad_input_is_refused_at_once(name, label, call, exc, text):
    t0 = time.perf_counter()
    with pytest.raises(exc) as info:
        call()
    elapsed = time.perf_counter() - t0
    assert text in str(info.value), str(info.value)
    assert elapsed < 1.0, f"{name} ({label}) took {elapsed:.2f} s to refuse"
