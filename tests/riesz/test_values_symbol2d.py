"""The value matrix B, its symbol m_p, the bivariate symbol, and the tau-plus-boundary pencils."""

import mpmath as mp
import numpy as np
import pytest
import ref_riesz as ref
import ref_riesz2d as ref2

from specnum.bases.bsplines import BSplineBasis, collocation_matrix, open_uniform_knots
from specnum.riesz import riesz_symbol, riesz_symbol_2d, value_matrix, value_symbol
from specnum.riesz.assembly import assemble_structure
from specnum.riesz.solve import tau_boundary_preconditioner
from specnum.riesz.tau_pencil import boundary_tau, pencil_inverse
from specnum.riesz.values import value_toeplitz

EPS = np.finfo(float).eps


@pytest.mark.parametrize("p", [2, 3, 4, 5, 6])
def test_value_matrix_matches_exact_rationals_and_shared_layer(p):
    n = 11
    b = value_matrix(p, n)
    assert b.shape == (n + p - 2, n + p - 2) and not b.data.flags.writeable
    exact = ref2.value_matrix_exact(p, n)
    np.testing.assert_allclose(b.toarray(), exact, rtol=0, atol=4 * EPS)
    # the shared layer's de Boor evaluation on another interval gives the same numbers (affine invariance)
    basis = BSplineBasis(open_uniform_knots(p, n, (-2.0, 5.0)), p)
    dense = collocation_matrix(basis, basis.greville()[1:-1])[:, 1:-1]
    np.testing.assert_allclose(b.toarray(), dense, rtol=0, atol=8 * EPS)
    assert np.max(np.count_nonzero(exact, axis=1)) <= p + 1  # banded


@pytest.mark.parametrize("p", [2, 3, 4, 5, 7])
def test_value_matrix_interior_is_toeplitz_with_symbol_coefficients(p):
    n = 30
    b = value_matrix(p, n).toarray()
    half = value_toeplitz(p)
    assert half.sum() * 2 - half[0] == pytest.approx(1.0, abs=4 * EPS)  # partition of unity
    i = b.shape[0] // 2
    for k in range(half.size):
        assert b[i, i + k] == pytest.approx(half[k], abs=2 * EPS)
        assert b[i, i - k] == pytest.approx(half[k], abs=2 * EPS)
    assert b[i, i + half.size] == 0.0


@pytest.mark.parametrize("p", [2, 3, 4, 5, 8])
def test_value_symbol_matches_poisson_series_and_hurwitz_form(p):
    theta = np.array([0.3, 1.0, 2.0, np.pi])
    got = value_symbol(theta, p)
    for t, g in zip(theta, got):
        # alpha = 0 in the Hurwitz closed form of the Riesz symbol (s = p + 1)
        want = float(ref.symbol_hurwitz_mp(t, p, 0))
        assert abs(g - want) <= 8 * EPS * want, (t, g, want)
    want = float(ref2.value_symbol_series_mp(1.0, p, dps=20))  # the defining series (slow for odd p)
    assert abs(got[1] - want) <= 8 * EPS * want
    assert value_symbol(0.0, p) == pytest.approx(1.0, abs=4 * EPS)
    assert np.all(np.diff(value_symbol(np.linspace(0, np.pi, 50), p)) < 0)  # decreasing, positive at pi
    # m_p(pi) = 2 (2/pi)^(p+1) lambda(p+1) (odd p) or beta(p+1) (even p): the alpha = 0 case of f(pi)
    s = p + 1
    series = (1 - mp.mpf(2) ** (-s)) * mp.zeta(s) if p % 2 else mp.dirichlet(s, [0, 1, 0, -1])
    assert value_symbol(np.pi, p) == pytest.approx(float(2 * (2 / mp.pi) ** (p + 1) * series), rel=8 * EPS)


def test_bivariate_symbol_formula_and_zero():
    t1 = np.linspace(0, np.pi, 7)[:, None]
    t2 = np.linspace(0, np.pi, 5)[None, :]
    f = riesz_symbol_2d(t1, t2, (3, 2), (1.3, 1.7), (0.5, 2.0))
    assert f.shape == (7, 5)
    want = 0.5 * riesz_symbol(t1, 3, 1.3) * value_symbol(t2, 2) + 2.0 * value_symbol(t1, 3) * riesz_symbol(t2, 2, 1.7)
    np.testing.assert_allclose(f, want, rtol=4 * EPS)
    assert f[0, 0] == 0.0 and np.all(f.ravel()[1:] > 0)
    # near the origin F ~ w_x |t1|^alpha + w_y |t2|^beta
    small = 1e-6
    assert riesz_symbol_2d(small, small, 3, (1.3, 1.7), (0.5, 2.0)) == pytest.approx(
        0.5 * small**1.3 + 2.0 * small**1.7, rel=1e-6)


@pytest.mark.parametrize("p", [2, 3, 4, 6])
def test_boundary_blocks_are_exact(p):
    # B = tau(m_p) + U_B V_B^T and h^alpha A - T = U_A V_A^T hold exactly (explicit DST matrix twin)
    n, alpha = 25, 1.4
    bt = boundary_tau(p, n, alpha)
    u, v = bt.blocks()
    r = bt.rank
    assert r == 2 * (p - 1) + 2 * (p - 2)
    b = value_matrix(p, n).toarray()
    np.testing.assert_allclose(ref.tau_dense(bt.m) + u[:, r:] @ v[:, r:].T, b, rtol=0, atol=32 * EPS)
    s = assemble_structure(p, n, alpha)
    from scipy.linalg import toeplitz

    np.testing.assert_allclose(u[:, :r] @ v[:, :r].T, s.dense() - toeplitz(s.toeplitz), rtol=0, atol=64 * EPS)


@pytest.mark.parametrize("p", [2, 3, 5])
def test_pencil_inverse_against_dense_pencils(p):
    n, alpha = 20, 1.6
    bt = boundary_tau(p, n, alpha)
    u, v = bt.blocks()
    r = bt.rank
    a_tilde = ref.tau_dense(bt.f) + u[:, :r] @ v[:, :r].T
    b = value_matrix(p, n).toarray()
    rng = np.random.default_rng(3)
    c1 = np.array([1.0, 0.0, 0.2, 3.0])
    c2 = np.array([0.5, 1.0, 0.0, 1e3])
    rhs = rng.standard_normal((bt.size, 4))
    z = pencil_inverse(bt, c1, c2).solve(rhs)
    for j in range(4):
        want = np.linalg.solve(c1[j] * b + c2[j] * a_tilde, rhs[:, j])
        np.testing.assert_allclose(z[:, j], want, rtol=1e-11, atol=1e-11 * np.abs(want).max())
    # c1 = 0, c2 = 1 is the 1D steady preconditioner tau(f) + R of specnum.riesz.solve
    one = pencil_inverse(bt, [0.0], [1.0]).solve(rhs[:, 0])
    np.testing.assert_allclose(one, tau_boundary_preconditioner(assemble_structure(p, n, alpha)).matvec(rhs[:, 0]),
                               rtol=1e-12, atol=1e-13 * np.abs(one).max())


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: value_matrix(1, 10), "degree"),
        (lambda: value_matrix(3, 2), "n"),
        (lambda: value_symbol([np.nan], 3), "theta"),
        (lambda: riesz_symbol_2d(0.1, 0.2, (2, 3, 4), 1.5), "degree"),
        (lambda: riesz_symbol_2d(0.1, 0.2, 2, (1.5, 2.5)), r"alpha\[1\]"),
        (lambda: riesz_symbol_2d(0.1, 0.2, 2, 1.5, (1.0, -1.0)), r"weights\[1\]"),
        (lambda: riesz_symbol_2d(np.zeros(3), np.zeros(4), 2, 1.5), "theta1 and theta2"),
        (lambda: pencil_inverse(boundary_tau(2, 8, 1.5), [1.0], [-1.0]), "c1 and c2"),
        (lambda: pencil_inverse(boundary_tau(2, 8, 1.5), [1.0, 2.0], [1.0]), "same shape"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
