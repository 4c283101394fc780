"""specnum.gaunt.sh_fourier against exact rationals (Laurent expansion), scipy harmonics and quadrature;
the on-disk table cache (key, checksum, recovery from corrupted files)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from specnum.errors import SpecnumWarning
from specnum.gaunt import fourier_to_sh, fourier_to_sh_tables, sh_to_fourier, sh_to_fourier_tables
from tests.reference.ref_gaunt import (
    ref_f2sh_entry,
    ref_pbar_fourier,
    ref_real_sph_harm,
    ref_sh_to_fourier_entry,
)

EPS = np.finfo(float).eps


def _torus_eval(F, theta, phi):
    L = (F.shape[-1] - 1) // 2
    u = np.arange(-L, L + 1)
    E = np.exp(1j * (u[None, :, None] * theta[:, None, None] + u[None, None, :] * phi[:, None, None]))
    return np.einsum("puv,...uv->...p", E, F)


@pytest.mark.parametrize("lmax", [0, 1, 2, 5])
def test_sh2f_tables_equal_exact_laurent_expansion(lmax):
    # every entry of A_m is the exact value rounded (<= 4 ulp of the entry: verifies exactness)
    tables = sh_to_fourier_tables(lmax)
    for m, A in enumerate(tables):
        for il, l in enumerate(range(m, lmax + 1)):
            for u in range(-lmax, lmax + 1):
                ref = complex(ref_sh_to_fourier_entry(l, m, u, m))
                ph = (1, -1j, -1, 1j)[m % 4]
                got = ph * A[u + lmax, il]  # F[u, +m] for x = e_{(l,m)}
                assert abs(got - ref) <= 4 * EPS * abs(ref) + 1e-300


def test_sh2f_small_values_from_notes():
    # gaunt notes 1.3: Y_{2,0}: y_{0,0} = 0.157695782626, y_{+-2,0} = 0.236543673939
    x = np.zeros(9)
    x[6] = 1.0
    F = sh_to_fourier(x)
    assert abs(F[2, 2] - 0.157695782626) < 1e-12
    assert abs(F[0, 2] - 0.236543673939) < 1e-12 and abs(F[4, 2] - 0.236543673939) < 1e-12
    # Y_{1,1}: y_{-1,+-1} = +0.122150627976 i, y_{+1,+-1} = -0.122150627976 i
    x = np.zeros(4)
    x[3] = 1.0
    F = sh_to_fourier(x)
    for v in (0, 2):
        assert abs(F[0, v] - 0.122150627976j) < 1e-12 and abs(F[2, v] + 0.122150627976j) < 1e-12


def test_sparsity_v_is_pm_m_and_u_parity():
    lmax = 6
    for l in range(lmax + 1):
        for m in range(-l, l + 1):
            x = np.zeros((lmax + 1) ** 2)
            x[l * l + l + m] = 1.0
            F = sh_to_fourier(x)
            nz_u, nz_v = np.nonzero(F)
            assert set(np.abs(nz_v - lmax)) <= {abs(m)}
            assert np.all((nz_u - lmax - l) % 2 == 0)
            assert np.all(np.abs(nz_u - lmax) <= l)
            exact = ref_pbar_fourier(l, abs(m))
            assert len(set(nz_u - lmax)) == len(exact)  # no spurious and no missing rows


def test_sh_to_fourier_evaluates_the_function():
    rng = np.random.default_rng(0)
    L = 10
    x = rng.standard_normal((2, (L + 1) ** 2))
    th, ph = rng.uniform(0, np.pi, 30), rng.uniform(0, 2 * np.pi, 30)
    ref = x @ ref_real_sph_harm(L, th, ph).T
    got = _torus_eval(sh_to_fourier(x), th, ph)
    scale = np.abs(ref).max()
    # function values agree to a few hundred eps of their scale (sums of ~(2L+1)^2 terms)
    assert np.abs(got - ref).max() <= 200 * EPS * scale


def test_fourier_symmetries():
    rng = np.random.default_rng(1)
    F = sh_to_fourier(rng.standard_normal(49))
    L = 6
    v = np.arange(-L, L + 1)
    np.testing.assert_allclose(F[::-1, ::-1], np.conj(F), atol=1e-16)  # Hermitian (f real)
    np.testing.assert_allclose(F[::-1, :], F * (-1.0) ** v[None, :], atol=1e-16)  # double cover


@pytest.mark.parametrize("lmax,umax", [(0, 0), (2, 1), (3, 3), (2, 5)])
def test_f2sh_equals_exact_half_range_integrals(lmax, umax):
    # c_lm = Re sum_{u,v} F[u,v] z^{lm}_{u,v}, z from the closed-form I(k) in mpmath (notes 1.5),
    # for random Hermitian F; tolerance: a few eps of sum |F z| (verifies the tables to rounding)
    rng = np.random.default_rng(7)
    n = 2 * umax + 1
    G = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
    F = 0.5 * (G + np.conj(G[::-1, ::-1]))
    got = fourier_to_sh(F, lmax)
    for l in range(lmax + 1):
        for m in range(-l, l + 1):
            terms = [
                F[u + umax, v + umax] * complex(ref_f2sh_entry(l, m, u, v))
                for u in range(-umax, umax + 1)
                for v in {m, -m}
                if abs(v) <= umax
            ]
            ref = sum(terms).real if terms else 0.0
            bound = 8 * EPS * (sum(abs(t) for t in terms) + 1e-300)
            assert abs(got[l * l + l + m] - ref) <= bound


def test_f2sh_table_entry_values():
    # Z_0[0, 0] = pi (W + conj W) at u = 0 = 2 pi N_00 I(0) = 2 pi * 2 / sqrt(4 pi) = sqrt(4 pi) ... /2 * 2
    Z = fourier_to_sh_tables(1, 1)
    assert abs(Z[0][0, 1] - np.sqrt(4 * np.pi)) <= 2 * EPS * np.sqrt(4 * np.pi)
    for m, T in enumerate(Z):
        assert T.shape == (2 - m, 3) and T.dtype == np.complex128


def test_fourier_to_sh_projects_a_general_torus_function():
    # a random Hermitian F is a real torus function that is not a sphere function;
    # its projection on the sphere (theta in [0, pi]) by brute-force quadrature
    rng = np.random.default_rng(2)
    U, lmax = 4, 6
    G = rng.standard_normal((2 * U + 1, 2 * U + 1)) + 1j * rng.standard_normal((2 * U + 1, 2 * U + 1))
    F = 0.5 * (G + np.conj(G[::-1, ::-1]))
    u = np.arange(-U, U + 1)

    def fun(theta, phi):
        E = np.exp(1j * (u[:, None, None, None] * theta + u[None, :, None, None] * phi))
        return np.einsum("uvij,uv->ij", E, F).real

    from tests.reference.ref_gaunt import ref_projection

    ref = ref_projection(fun, lmax, n_theta=80, n_phi=64, in_theta=True)  # analytic in theta: converged
    got = fourier_to_sh(F, lmax)
    assert np.abs(got - ref).max() <= 1e-13 * np.abs(ref).max()
    # only the Hermitian part matters (projection of Re f)
    np.testing.assert_allclose(fourier_to_sh(G, lmax), got, atol=1e-14)


@pytest.mark.parametrize("L,lmax", [(4, 4), (4, 7), (5, 2)])
def test_round_trip(L, lmax):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, (L + 1) ** 2))
    back = fourier_to_sh(sh_to_fourier(x), lmax)
    ref = np.zeros((3, (lmax + 1) ** 2))
    k = (min(L, lmax) + 1) ** 2
    ref[:, :k] = x[:, :k]
    assert np.abs(back - ref).max() <= 50 * EPS * np.abs(x).max()  # round trip to rounding


def test_tables_are_cached_and_read_only(tmp_path):
    A = sh_to_fourier_tables(3)
    assert A is sh_to_fourier_tables(3)
    with pytest.raises(ValueError):
        A[1][0, 0] = 1.0
    Z = fourier_to_sh_tables(3, 4)
    assert not Z[0].flags.writeable
    # explicit on-disk cache: written once, read back identical
    A2 = sh_to_fourier_tables(3, cache_dir=tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    A3 = sh_to_fourier_tables(3, cache_dir=tmp_path)
    for a, b, c in zip(A, A2, A3):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
        assert not c.flags.writeable
    Z2 = fourier_to_sh_tables(3, 4, cache_dir=str(tmp_path))
    for a, b in zip(Z, Z2):
        np.testing.assert_array_equal(a, b)


def test_bad_input():
    with pytest.raises(ValueError, match="x"):
        sh_to_fourier(np.ones(5))
    with pytest.raises(TypeError, match="x"):
        sh_to_fourier(np.ones(4, dtype=complex))
    with pytest.raises(ValueError, match="x"):
        sh_to_fourier(np.array([1.0, np.nan, 0.0, 0.0]))
    with pytest.raises(ValueError, match="F"):
        fourier_to_sh(np.ones((4, 4)), 2)
    with pytest.raises(ValueError, match="F"):
        fourier_to_sh(np.ones((3, 5)), 2)
    with pytest.raises(ValueError, match="lmax"):
        fourier_to_sh(np.ones((3, 3)), -1)
    with pytest.raises(ValueError, match="lmax"):
        sh_to_fourier_tables(10_000)
    with pytest.raises(ValueError, match="umax"):
        fourier_to_sh_tables(2, -1)
    with pytest.raises(ValueError, match="cache_dir"):
        sh_to_fourier_tables(2, cache_dir="/nonexistent/dir/for/specnum")


# ------------------------------------------------------------------------------------------
# on-disk cache: key, checksum, recovery


def _cache_file(tmp_path, kind):
    (f,) = [p for p in tmp_path.iterdir() if kind in p.name]
    return f


def _fresh(lmax=3, umax=4):
    # the exact tables (memory cache) are the reference a recovered disk cache must reproduce
    return sh_to_fourier_tables(lmax), fourier_to_sh_tables(lmax, umax)


def _check_recovers(tmp_path, corrupt, kind="sh2f"):
    A, Z = _fresh()
    call = (lambda: sh_to_fourier_tables(3, cache_dir=tmp_path)) if kind == "sh2f" else (
        lambda: fourier_to_sh_tables(3, 4, cache_dir=tmp_path))
    ref = A if kind == "sh2f" else Z
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call()  # writes a valid file silently
    corrupt(_cache_file(tmp_path, kind))
    with pytest.warns(SpecnumWarning, match="cache_dir"):
        got = call()
    for a, b in zip(ref, got):
        np.testing.assert_array_equal(a, b)
    with warnings.catch_warnings():  # the rebuilt file is valid again
        warnings.simplefilter("error")
        for a, b in zip(ref, call()):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kind", ["sh2f", "f2sh"])
def test_truncated_cache_file_is_rebuilt(tmp_path, kind):
    def truncate(f):
        data = f.read_bytes()
        f.write_bytes(data[: len(data) // 2])

    _check_recovers(tmp_path, truncate, kind)


def test_garbled_cache_file_is_rebuilt(tmp_path):
    def garble(f):
        data = bytearray(f.read_bytes())
        rng = np.random.default_rng(0)
        pos = rng.integers(0, len(data), 64)
        for p in pos:
            data[p] ^= 0xFF
        f.write_bytes(bytes(data))

    _check_recovers(tmp_path, garble)


@pytest.mark.parametrize("fill", [0.0, np.nan])
def test_well_formed_file_with_wrong_content_is_rebuilt(tmp_path, fill):
    # a readable npz of the right layout whose tables were overwritten (checksum no longer matches)
    def overwrite(f):
        with np.load(f) as data:
            items = {k: np.array(data[k]) for k in data.files}
        for k in items:
            if k.startswith("t"):
                items[k] = np.full_like(items[k], fill)
        np.savez(f, **items)

    _check_recovers(tmp_path, overwrite, "f2sh")


def test_file_of_an_older_format_or_another_key_is_rebuilt(tmp_path):
    def old_format(f):  # count + tables only, no key or checksum
        with np.load(f) as data:
            items = {k: np.array(data[k]) for k in data.files if k.startswith("t") or k == "count"}
        np.savez(f, **items)

    _check_recovers(tmp_path, old_format)

    def other_key(f):  # a valid file of another degree under this name
        other = tmp_path / "other"
        other.mkdir()
        sh_to_fourier_tables(2, cache_dir=other)
        f.write_bytes(next(other.iterdir()).read_bytes())

    _check_recovers(tmp_path, other_key)


def test_cache_key_separates_every_size(tmp_path):
    # tables differing only in umax (or only in lmax) must not share a file
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for lmax, umax in [(2, 2), (2, 3), (3, 3), (2, 2)]:
            Z = fourier_to_sh_tables(lmax, umax, cache_dir=tmp_path)
            assert len(Z) == lmax + 1 and Z[0].shape == (lmax + 1, 2 * umax + 1)
            for a, b in zip(Z, fourier_to_sh_tables(lmax, umax)):
                np.testing.assert_array_equal(a, b)
        for lmax in (2, 3, 2):
            A = sh_to_fourier_tables(lmax, cache_dir=tmp_path)
            assert A[0].shape == (2 * lmax + 1, lmax + 1)
    assert len(list(tmp_path.glob("*.npz"))) == 5
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary file left behind
