"""specnum.testing: the helpers pass on exact data and fail when they should."""

import numpy as np
import pytest

from specnum.testing import (
    assert_convergence_order,
    assert_rotation_equivariant,
    observed_order,
    pairwise_orders,
)


def test_observed_order_recovers_exact_power_law():
    ns = np.array([10, 20, 40, 80, 160])
    for p in (0.5, 1.5, 3.0, 7.25):
        # exact power law: the fitted slope is p up to rounding of the logs
        assert abs(observed_order(ns, 2.0 * ns**-p) - p) < 1e-12
        np.testing.assert_allclose(pairwise_orders(ns, 2.0 * ns**-p), p, atol=1e-12)


def test_observed_order_with_higher_order_term():
    # e = n^-2 (1 + 5/n): pairwise orders approach 2 from above, fit is between
    ns = np.array([32, 64, 128, 256])
    e = ns**-2.0 * (1 + 5.0 / ns)
    orders = pairwise_orders(ns, e)
    assert np.all(np.diff(orders) < 0) and np.all(orders > 2.0)
    assert 2.0 < observed_order(ns, e) < orders[0]


def test_assert_convergence_order_passes_and_fails():
    ns = np.array([8, 16, 32, 64])
    e = ns**-2.0
    assert abs(assert_convergence_order(ns, e, expected=2.0) - 2.0) < 1e-12
    assert_convergence_order(ns, e, expected=2.08, tol=0.1)
    with pytest.raises(AssertionError, match="observed convergence order 2.000"):
        assert_convergence_order(ns, e, expected=2.2, tol=0.1)
    with pytest.raises(AssertionError, match="pairwise orders"):
        assert_convergence_order(ns, e, expected=1.0)


@pytest.mark.parametrize(
    "ns, errors, match",
    [
        ([1, 2, 3], [1, 2], "same length"),
        ([4], [1.0], "at least 2"),
        ([1, 2], [1.0, 0.0], "errors must be positive"),
        ([1, 2], [1.0, np.nan], "errors must be finite"),
        ([2, 2], [1.0, 0.5], "distinct"),
        ([-1, 2], [1.0, 0.5], "ns must be positive"),
    ],
)
def test_bad_input(ns, errors, match):
    with pytest.raises(ValueError, match=match):
        observed_order(ns, errors)


def _l1_block_product(x):
    """x_0 * (l=1 part): equivariant (scalar times vector)."""
    out = np.zeros_like(x)
    out[..., 1:4] = x[..., :1] * x[..., 1:4]
    return out


def test_rotation_equivariance_passes_for_equivariant_maps():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 9))
    assert assert_rotation_equivariant(_l1_block_product, [x], rng=1) < 1e-13
    # the squared norm of the l = 1 part is an invariant (l = 0 output)
    inv = lambda a: np.sum(a[..., 1:4] ** 2, axis=-1, keepdims=True)  # noqa: E731
    assert_rotation_equivariant(inv, [x])


def test_rotation_equivariance_fails_for_non_equivariant_maps():
    x = np.random.default_rng(4).normal(size=(3, 9))

    def breaks_symmetry(a):
        out = a.copy()
        out[..., 1] *= 2.0  # scales only the y-component of the l = 1 part
        return out

    with pytest.raises(AssertionError, match="not rotation equivariant"):
        assert_rotation_equivariant(breaks_symmetry, [x])

    def wrong_axis_order(a):  # treats (y, z, x) as (x, y, z)
        return np.concatenate([a[..., :1], a[..., [3, 1, 2]], a[..., 4:]], axis=-1)

    with pytest.raises(AssertionError):
        assert_rotation_equivariant(wrong_axis_order, [x])


def test_rotation_equivariance_bad_input():
    with pytest.raises(ValueError, match="inputs\\[0\\]"):
        assert_rotation_equivariant(lambda a: a, [np.ones((2, 5))])


def test_tol_is_keyword_only_and_sizes_are_budgeted():
    ns = np.array([8.0, 16.0, 32.0])
    with pytest.raises(TypeError):
        assert_convergence_order(ns, 2.0 * ns**-2.0, 2.0, 0.1)
    calls = []

    def fn(a):
        calls.append(1)
        return a

    with pytest.raises(ValueError, match=r"inputs of degree\(s\) L = \[200\] .* needs about"):
        assert_rotation_equivariant(fn, [np.ones(201**2)])  # Wigner matrices of 13 GB
    assert not calls  # refused before fn ran
    with pytest.raises(TypeError, match="fn must be callable"):
        assert_rotation_equivariant(None, [np.ones(4)])
    with pytest.raises(TypeError, match="rng must be"):
        assert_rotation_equivariant(fn, [np.ones(4)], rng="seed")
