"""Batched sphere-grid transforms (specnum.bases.spheregrid) against dense twins built from
scipy harmonics: float32 and float64, any batch shape, ``out=``, both forms (dense and
separable) of the one transform plan, the folded representation, and thread independence."""

from __future__ import annotations

import numpy as np
import pytest

from specnum.bases._threads import chunk_rows, run_blocks, worker_count
from specnum.bases.spheregrid import SphereTransform, analysis, sphere_grid, sphere_transform, synthesis
from tests.reference.ref_sphharm import ref_analysis_dense, ref_synthesis_dense

EPS = np.finfo(float).eps


@pytest.mark.parametrize("method", ["dense", "separable"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("lmax,degree,n_phi", [(0, 0, None), (3, 6, None), (5, 9, 12), (7, 20, 21), (10, 20, None),
                                              (4, 9, None), (6, 13, 30), (9, 33, None), (12, 40, 46), (1, 1, 2)])
def test_batched_transforms_match_dense_twins(method, dtype, lmax, degree, n_phi):
    # any batch shape, n_phi of every residue mod 4 (2 mod 4 from 30 on: folded under phi -> pi - phi too);
    # float32 computed in float32 (~1e-6 relative)
    g = sphere_grid(degree, n_phi=n_phi)
    rng = np.random.default_rng(lmax)
    c = rng.standard_normal((2, 3, (lmax + 1) ** 2))
    vals = rng.standard_normal((2, 3) + g.shape)
    ref_f = ref_synthesis_dense(c, g.theta, g.phi)
    ref_a = ref_analysis_dense(vals, g.theta, g.phi, g.weights, lmax)
    f = synthesis(c.astype(dtype), g, method=method)
    a = analysis(vals.astype(dtype), g, lmax, method=method)
    assert f.dtype == dtype and a.dtype == dtype
    assert f.shape == (2, 3) + g.shape and a.shape == (2, 3, (lmax + 1) ** 2)
    tol = 100 * (lmax + 1) ** 2 * EPS if dtype == np.float64 else 3e-6
    assert np.abs(f - ref_f).max() <= tol * max(1.0, np.abs(ref_f).max())
    assert np.abs(a - ref_a).max() <= tol * max(1.0, np.abs(ref_a).max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_out_argument_and_round_trip(dtype):
    g = sphere_grid(16)
    rng = np.random.default_rng(1)
    c = rng.standard_normal((5, 81)).astype(dtype)
    f = np.empty((5,) + g.shape, dtype)
    assert synthesis(c, g, out=f) is f
    back = np.empty_like(c)
    assert analysis(f, g, 8, out=back) is back
    assert np.abs(back - c).max() <= (1e-13 if dtype == np.float64 else 2e-6) * np.abs(c).max()
    with pytest.raises(ValueError, match="out"):
        synthesis(c, g, out=np.empty((5,) + g.shape, np.float64 if dtype == np.float32 else np.float32))
    with pytest.raises(ValueError, match="out"):
        analysis(f, g, 8, out=np.empty((4, 81), dtype))
    with pytest.raises(TypeError, match="out"):
        synthesis(c, g, out=[0.0])
    # empty batch
    assert synthesis(np.zeros((0, 9)), g).shape == (0,) + g.shape


def test_dense_and_separable_are_one_map_at_high_degree():
    # lmax = 48 on the grid of a product (degree 4 L): both forms agree to rounding
    g = sphere_grid(4 * 24)
    rng = np.random.default_rng(2)
    c = rng.standard_normal((2, 25**2))
    a = sphere_transform(24, g, method="dense")
    b = sphere_transform(24, g, method="separable")
    assert a.dense and not b.dense
    fa, fb = synthesis(c, g, method="dense"), synthesis(c, g, method="separable")
    assert np.abs(fa - fb).max() <= 1e-12 * np.abs(fa).max()
    np.testing.assert_allclose(analysis(fa, g, 24, method="separable"), c, atol=1e-12)


@pytest.mark.parametrize("n_phi,R,n_az", [(16, 1, 9), (15, 1, 8), (14, 1, 8), (30, 2, 8), (34, 2, 9)])
def test_plan_is_cached_and_folded_values_reproduce_the_grid(n_phi, R, n_az):
    # the folded representation of the SphereTransform docstring, against scipy grid values
    g = sphere_grid(12, n_phi=n_phi)
    t = sphere_transform(6, g)
    assert t is sphere_transform(6, g) and isinstance(t, SphereTransform)
    assert (t.n_half, t.n_reflect, t.n_az, t.n_odd) == (4, R, n_az, (n_phi - 1) // 2)
    rng = np.random.default_rng(3)
    c = rng.standard_normal((3, 49))
    nb = 4
    E, O = t.folded_buffers(nb)
    t.folded_synthesis(c, 0, E, O, t.workspace(nb))
    f = ref_synthesis_dense(c, g.theta, g.phi)
    assert E.shape == O.shape == (R, 2, nb, t.n_half, n_az)
    # f(theta^s, +-phi^v_j) = sum_{r,p} v^r s^p (E[r,p] +- O[r,p]), phi^+ = phi_j, phi^- = pi - phi_j
    j = np.arange(n_az)
    for v in (1, -1) if R == 2 else (1,):
        jv = j if v == 1 else n_phi // 2 - j
        for pm in (1, -1):
            for t_ in range(t.n_half):
                for s in (1, -1):
                    row = t_ if s == 1 else g.n_theta - 1 - t_
                    want = f[:, row, (pm * jv) % n_phi]
                    got = sum(v**r * s**p * (E[r, p, :3, t_] + pm * O[r, p, :3, t_]) for r in range(R) for p in (0, 1))
                    np.testing.assert_allclose(got, want, atol=1e-13)
    assert not np.any(O[..., 0])  # exactly zero where phi -> -phi fixes the node
    if R == 1 and n_phi % 2 == 0:
        assert not np.any(O[..., n_az - 1])  # phi = pi
    assert not np.any(E[:, :, 3:]) and not np.any(O[:, :, 3:])  # rows past the end are zero
    with pytest.raises(ValueError, match="dtype"):
        sphere_transform(2, g, dtype=np.int32)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-13), (np.float32, 2e-5)])
@pytest.mark.parametrize("degree,n_phi", [(24, 25), (28, 30), (40, 43)])
def test_azimuth_major_folded_values_are_the_transposed_layout(degree, n_phi, dtype, tol):
    # the azimuth-major layout (R, 2, nA, nh, nb) holds the same values as (R, 2, nb, nh, nA), moved
    # axes, for both the synthesis and the analysis (which recovers the coefficients: exact quadrature)
    g = sphere_grid(degree, n_phi=n_phi)
    t = sphere_transform(degree // 2, g, dtype=dtype, method="separable")
    rng = np.random.default_rng(7)
    nb = 8
    c = rng.standard_normal((5, t.ncoef)).astype(dtype)
    E, O = t.folded_buffers(nb)
    Ea, Oa = t.folded_buffers(nb, azimuth_major=True)
    assert Ea.shape == (t.n_reflect, 2, t.n_az, t.n_half, nb) and Ea.flags.c_contiguous
    assert E.shape == (t.n_reflect, 2, nb, t.n_half, t.n_az)
    t.folded_synthesis(c, 0, E, O, t.workspace(nb))
    t.folded_synthesis(c, 0, Ea, Oa, t.workspace(nb), azimuth_major=True)
    scale = np.abs(E).max()
    for X, Xa in ((E, Ea), (O, Oa)):
        assert np.abs(np.transpose(Xa, (0, 1, 4, 3, 2)) - X).max() <= tol * scale
    with pytest.raises(ValueError, match="folded_buffers"):  # a copy is not the buffer the kernels write
        t.folded_synthesis(c, 0, np.ascontiguousarray(E), O, t.workspace(nb))
    out = np.empty((5, t.ncoef), dtype)
    t.folded_analysis(Ea, Oa, out, 0, t.workspace(nb), azimuth_major=True)
    assert np.abs(out - c).max() <= 10 * tol * np.abs(c).max()
    dense = sphere_transform(2, g, method="dense")
    with pytest.raises(ValueError, match="separable"):
        dense.folded_analysis(Ea, Oa, out, 0, dense.workspace(nb), azimuth_major=True)
    with pytest.raises(ValueError, match="separable"):
        dense.folded_buffers(nb, azimuth_major=True)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-13), (np.float32, 2e-5)])
@pytest.mark.parametrize("degree,n_phi", [(12, 13), (28, 30)])
def test_line_and_row_layouts_hold_the_same_folded_values(degree, n_phi, dtype, tol):
    # separable plans with line-major and row-major block buffers: the same folded values (moved
    # axes) for single sources and pairs, the same coefficients back (exact quadrature), in both
    # folded layouts; the rule picks lines when a block of the largest plan fills a cache line
    from specnum.bases.spheregrid import _uses_lines

    g = sphere_grid(degree, n_phi=n_phi)
    lm = degree // 2
    lp, rp = (sphere_transform(lm, g, dtype=dtype, method="separable", lines=v) for v in (True, False))
    assert lp.lines and not rp.lines and sphere_transform(lm, g, dtype=dtype, method="separable") is lp
    assert not sphere_transform(2, g, method="dense", lines=True).lines
    with pytest.raises(TypeError, match="lines"):
        sphere_transform(lm, g, lines="yes")
    assert _uses_lines(g, np.dtype(dtype).itemsize) and not _uses_lines(sphere_grid(192), 8)
    rng = np.random.default_rng(3)
    nb = 12
    c1, c2 = (rng.standard_normal((7, lp.ncoef)).astype(dtype) for _ in range(2))
    for amaj in (False, True):
        vals = {}
        for t in (lp, rp):
            E, O = t.folded_buffers(nb, amaj)
            t.folded_synthesis(c1, 0, E, O, t.workspace(nb), amaj)
            P = t.folded_buffers(2 * nb, amaj)
            t.folded_synthesis((c1, c2), 0, *P, t.workspace(2 * nb), amaj)
            out = np.empty_like(c1)
            t.folded_analysis(E, O, out, 0, t.workspace(nb), amaj)
            assert np.abs(out - c1).max() <= 10 * tol * np.abs(c1).max()
            if amaj:  # to (R, 2, nb, nh, nA); a pair of lines: per azimuth the first source, then the second
                E, O = (np.transpose(X, (0, 1, 4, 3, 2) if t.lines else (0, 1, 3, 4, 2)) for X in (E, O))
                P = [X.reshape(X.shape[:3] + ((2, g.n_theta // 2 + 1, nb) if t.lines else (2, nb, -1)))
                     for X in P]
                P = [np.concatenate([np.transpose(X[:, :, :, s], (0, 1, 4, 3, 2) if t.lines else (0, 1, 3, 4, 2))
                                     for s in (0, 1)], axis=2) for X in P]
            vals[t.lines] = (E, O, *P)
        for a, b in zip(vals[True], vals[False]):
            assert a.shape == b.shape and np.abs(a - b).max() <= tol * np.abs(b).max()
        np.testing.assert_array_equal(vals[True][2][:, :, :nb], vals[True][0])  # the pair's first source
        second = vals[False][1]
        np.testing.assert_allclose(vals[False][3][:, :, :nb], second, rtol=0, atol=tol * np.abs(second).max())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_strided_gemm_of_the_kernels_matches_numpy(dtype):
    # the kernels' BLAS call on matrices inside larger row-major arrays (leading dimensions larger
    # than the row length), both operands plain or transposed; untouched entries stay as they were
    from specnum.bases._spheregrid_kernels import _gemm

    rng = np.random.default_rng(5)
    m, n, k = 5, 7, 3
    scal = np.array([1.0, 0.0], dtype=dtype)
    for ta in (False, True):
        for tb in (False, True):
            a = rng.standard_normal((k, m) if ta else (m, k)).astype(dtype)
            b = rng.standard_normal((n, k) if tb else (k, n)).astype(dtype)
            big_a = np.zeros((a.shape[0], a.shape[1] + 2), dtype)
            big_b = np.zeros((b.shape[0], b.shape[1] + 3), dtype)
            big_c = np.full((m, n + 4), 7.0, dtype)
            big_a[:, :a.shape[1]], big_b[:, :b.shape[1]] = a, b
            _gemm(ta, tb, big_a.ravel(), big_a.shape[1], big_b.ravel(), big_b.shape[1], big_c.ravel(),
                  big_c.shape[1], m, n, k, scal)
            want = (a.T if ta else a).astype(np.float64) @ (b.T if tb else b).astype(np.float64)
            tol = 1e-14 if dtype == np.float64 else 1e-5
            np.testing.assert_allclose(big_c[:, :n], want, rtol=tol, atol=tol * np.abs(want).max())
            assert np.all(big_c[:, n:] == 7.0)


@pytest.mark.parametrize("method", ["dense", "separable"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_block_buffer_slots_are_distinct_and_skewed_by_a_cache_line(method, dtype):
    # every coefficient of every row of a block has its own slot inside the workspace buffer;
    # dense: each class's (nb, kpad) matrix starts 64 bytes further than packing them would put it;
    # separable: one line per coefficient (the block's rows along it), lines an odd number of
    # cache lines apart (one line of padding when nb values fill an even number)
    from specnum.bases._spheregrid_kernels import line_length

    t = sphere_transform(9, sphere_grid(24, n_phi=30), dtype=dtype, method=method)
    ints, item_off, col, stride, offset, shift = t.kernel_tables[:6]
    line = 64 // np.dtype(dtype).itemsize
    for nb in (4, 8, 16, 32, 256):
        ws = t.workspace(nb)
        slots = (ws[2][None, :] + np.arange(nb)[:, None] * stride[None, :]).ravel()
        assert np.unique(slots).size == slots.size and slots.min() >= 0 and slots.max() < ws[0].size
        if method == "dense":
            assert ws[0].size == offset[-1] * nb + shift[-1]
            np.testing.assert_array_equal(shift, np.arange(offset.size) * line)
            items = np.searchsorted(offset, item_off, side="right") - 1  # the item of each coefficient
            column = col - shift[items]  # col holds the column plus the item's shift
            assert np.all(column >= 0) and np.all(column < stride) and np.all(stride == np.diff(offset)[items])
        else:
            ld = line_length(nb, np.dtype(dtype).itemsize)
            assert ld == (nb + line if nb % (2 * line) == 0 else nb)
            assert ld * np.dtype(dtype).itemsize % 128 != 0 or ld < line  # odd number of cache lines
            assert np.all(stride == 1) and not np.any(col) and not np.any(shift)
            np.testing.assert_array_equal(ws[2], item_off * ld)
            assert ws[0].size == offset[-1] * ld and np.unique(item_off).size == item_off.size


def test_fold_phi_rounds_the_azimuths_to_two_mod_four():
    for degree in range(64):
        g = sphere_grid(degree, fold_phi=True)
        if g.n_phi >= 30:  # the transforms fold these grids under phi -> pi - phi as well
            assert g.n_phi % 4 == 2 and degree + 1 <= g.n_phi <= degree + 4
            assert sphere_transform(1, g).n_reflect == 2
        else:
            assert g.n_phi == degree + 1 and sphere_transform(1, g).n_reflect == 1
    assert sphere_grid(5, fold_phi=True, n_phi=8).n_phi == 8  # a given n_phi is kept
    with pytest.raises(ValueError, match="fold_phi"):
        sphere_grid(5, fold_phi="yes")


def test_results_do_not_depend_on_threads():
    import numba

    g = sphere_grid(40)
    rng = np.random.default_rng(4)
    c = rng.standard_normal((700, 121))
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = synthesis(c, g)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = synthesis(c, g)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one, many)
    assert worker_count() >= 1
    seen = []
    run_blocks(10, 3, lambda a, b, w: seen.append((a, b)), workers=2)
    assert sorted(seen) == [(0, 3), (3, 6), (6, 9), (9, 10)]


def test_run_blocks_keeps_its_helpers_runs_nested_calls_inline_and_propagates_errors():
    # two workers: the caller is worker 0 and one kept helper thread is worker 1 (the same thread
    # on every call); a call from inside a block runs on its own thread only; an exception in a
    # block reaches the caller after the other thread has stopped, and the next call works
    import threading

    threads, nested = set(), []

    def fn(a, b, w):
        threads.add((w, threading.get_ident()))
        run_blocks(4, 2, lambda c, d, v: nested.append(v), workers=2)

    for _ in range(3):
        run_blocks(64, 1, fn, workers=2)
    assert {w for w, _ in threads} <= {0, 1} and len(threads) <= 2
    assert (0, threading.get_ident()) in threads and set(nested) == {0}

    seen = []

    def bad(a, b, w):
        seen.append(a)
        if a == 3:
            raise ZeroDivisionError("block 3")

    with pytest.raises(ZeroDivisionError, match="block 3"):
        run_blocks(1000, 1, bad, workers=2)
    assert len(seen) < 1000  # the blocks after the error were not run
    out = []
    run_blocks(10, 3, lambda a, b, w: out.append((a, b)), workers=2)
    assert sorted(out) == [(0, 3), (3, 6), (6, 9), (9, 10)]


def test_chunk_rows_one_call_per_worker_or_whole_blocks():
    # one worker takes all rows in one call; several take whole blocks, about eight chunks each
    assert chunk_rows(4096, 64, 1) == 4096 and chunk_rows(0, 64, 1) == 1
    for nrow, block, workers in [(4096, 64, 2), (1000, 32, 2), (100, 32, 2), (4096, 128, 4)]:
        chunk = chunk_rows(nrow, block, workers)
        assert chunk % block == 0 and chunk >= block
        nchunk = -(-nrow // chunk)
        assert nchunk <= 8 * workers and (nchunk >= 8 * workers or chunk == block)


def test_single_threaded_blas_limits_and_restores():
    # BLAS runs one thread inside the block and gets its count back afterwards, also after an error
    import threadpoolctl

    from specnum.bases._threads import single_threaded_blas

    def blas_threads():
        return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]

    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        before = blas_threads()
        assert before and max(before) == 2
        with single_threaded_blas():
            assert blas_threads() == [1] * len(before)
        assert blas_threads() == before
        with pytest.raises(RuntimeError), single_threaded_blas():
            raise RuntimeError("inside the block")
        assert blas_threads() == before
