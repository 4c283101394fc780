"""The boundary-graded coarse space and the two-level preconditioner of the 1D time steps."""

import numpy as np
import pytest

from specnum.riesz.assembly import assemble_structure
from specnum.riesz.coarse import graded_hats, two_level
from specnum.riesz.tau_pencil import boundary_tau, pencil_inverse
from specnum.riesz.values import value_matrix


@pytest.mark.parametrize("size", [1, 7, 64, 1000])
def test_graded_hats_orthonormal_and_spanning_the_graded_hats(size):
    z = graded_hats(size)
    np.testing.assert_allclose(z.T @ z, np.eye(z.shape[1]), atol=1e-12)
    # nodes at distances 0, 1, 2, 4, ... from each end: the hat of node 1 is the unit vector at the first (last)
    # point, and the function linear from 0 at each end to 1 at the centre is piecewise linear on the mesh
    x = np.arange(1, size + 1, dtype=float)
    for k in {0, size - 1}:
        e = np.zeros(size)
        e[k] = 1.0
        assert np.linalg.norm(e - z @ (z.T @ e)) < 1e-12
    half = 0.5 * (size + 1)
    ones_centre = np.clip(np.minimum(x, size + 1 - x), 0.0, half) / half  # piecewise linear through 0, 1, 0
    if size >= 7:  # its kinks at the ends and the centre are nodes of the graded mesh
        assert np.linalg.norm(ones_centre - z @ (z.T @ ones_centre)) < 1e-12 * np.sqrt(size)


def test_graded_hats_grow_like_log_n():
    # about 2 per_octave log2(N) columns: one hat per half octave of distance from each end
    m = [graded_hats(2**k).shape[1] for k in (8, 12, 16)]
    assert m[0] < m[1] < m[2] <= 4 * 16 + 1
    assert graded_hats(4096, per_octave=1).shape[1] < m[1]


def test_two_level_is_exact_on_the_coarse_space():
    # P2^{-1} M z = z for every z in span(Z): Q M z = z and the smoother then sees a zero residual
    p, n, alpha, w = 3, 200, 1.5, 50.0
    st, b = assemble_structure(p, n, alpha), value_matrix(p, n)
    size = st.size
    inv = pencil_inverse(boundary_tau(p, n, alpha), [1.0], [w])
    levels = two_level(lambda v: b @ v + w * st.matvec(v), inv.solve, size)
    z = levels.basis @ np.random.default_rng(1).standard_normal(levels.basis.shape[1])
    np.testing.assert_allclose(levels.solve(b @ z + w * st.matvec(z)), z, rtol=0, atol=1e-11 * np.abs(z).max())


def test_two_level_refuses_a_singular_coarse_matrix():
    assert two_level(lambda v: np.zeros_like(v), lambda v: v, 50) is None


def test_graded_hats_bad_input():
    with pytest.raises(ValueError, match="size"):
        graded_hats(0)
    with pytest.raises(ValueError, match="per_octave"):
        graded_hats(10, per_octave=0)
