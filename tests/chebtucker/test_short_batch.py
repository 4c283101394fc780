"""The batched Newton short-range kernel: its polynomials against mpmath, its sums against direct ones."""

import mpmath
import numpy as np
import pytest
from scipy.special import erfc

from specnum.chebtucker import _neighbour_kernels as sb
from specnum.chebtucker.neighbours import short_pairs, short_sums

EPS = np.finfo(np.float64).eps


def _erfcx_monomials(degree: int = 23, n: int = 64) -> tuple[list[float], float]:
    """Monomials in u of the Chebyshev interpolant of erfcx(s), s = 4 (1 + w)/(1 - w), u = 1.5 w + 0.5,
    and the largest dropped Chebyshev coefficient (of the 64-point interpolant)."""
    with mpmath.workdps(50):
        theta = [(mpmath.mpf(k) + mpmath.mpf(1) / 2) * mpmath.pi / n for k in range(n)]
        vals = []
        for t in theta:
            w = (mpmath.cos(t) - mpmath.mpf(1) / 2) / (mpmath.mpf(3) / 2)
            s = 4 * (1 + w) / (1 - w)
            vals.append(mpmath.exp(s * s) * mpmath.erfc(s))
        cheb = [2 * mpmath.fsum(vals[j] * mpmath.cos(k * theta[j]) for j in range(n)) / n for k in range(n)]
        cheb[0] /= 2
        tail = max(abs(c) for c in cheb[degree + 1:])
        mono = [[mpmath.mpf(1)], [mpmath.mpf(0), mpmath.mpf(1)]]
        for k in range(2, degree + 1):
            t = [mpmath.mpf(0)] * (k + 1)
            for i, v in enumerate(mono[k - 1]):
                t[i + 1] += 2 * v
            for i, v in enumerate(mono[k - 2]):
                t[i] -= v
            mono.append(t)
        coeffs = [float(mpmath.fsum(cheb[k] * mono[k][i] for k in range(i, degree + 1))) for i in range(degree + 1)]
    return coeffs, float(tail)


def test_erfcx_monomials_regenerated_in_mpmath():
    """The stored coefficients are the mpmath ones (to an ulp); the dropped Chebyshev tail is below 1e-18."""
    coeffs, tail = _erfcx_monomials()
    assert tail < 1e-18
    np.testing.assert_allclose(sb.ERFCX_MONOMIALS, coeffs, rtol=2 * EPS, atol=0)


@pytest.mark.parametrize("r0", [1.0, 0.37])
def test_newton_batch_against_mpmath(r0):
    """S = erfc(r/r0)/r and S'/r within 8 ulps on 0 < r/r0 < 8 (about 5 measured)."""
    rng = np.random.default_rng(3)
    s = np.concatenate([rng.uniform(1e-3, 7.999, 1500), np.linspace(1e-6, 7.9999999, 500), [0.6, 1.0, 4.0, 7.0]])
    r = s * r0
    fb = np.empty((3, sb.BATCH))
    got = np.empty((2, s.size))
    for a in range(0, s.size, sb.BATCH):
        k = min(sb.BATCH, s.size - a)
        fb[0, :k] = r[a:a + k] ** 2
        assert sb.newton_batch(k, fb, 1.0 / r0, (8.0 * r0) ** 2) == 0
        got[:, a:a + k] = fb[1:3, :k]
    with mpmath.workdps(30):
        ref = np.array([float(mpmath.erfc(mpmath.mpf(x) / r0) / mpmath.mpf(x)) for x in r])
        refd = np.array([float((-2 / mpmath.sqrt(mpmath.pi) / r0 * mpmath.exp(-(mpmath.mpf(x) / r0) ** 2)
                                - mpmath.erfc(mpmath.mpf(x) / r0) / mpmath.mpf(x)) / mpmath.mpf(x) ** 2) for x in r])
    # r = s r0 is rounded once: its own error moves S by (1 + 2 s^2) ulps at most
    slack = 8 + 2 * (r / r0) ** 2
    assert np.all(np.abs(got[0] - ref) <= slack * EPS * ref)
    assert np.all(np.abs(got[1] - refd) <= slack * EPS * np.abs(refd))



def test_newton_batch_counts_distances_outside_its_range():
    """The count returned is that of r^2 at 0 or at and beyond ``reach2``: the entries the caller must replace."""
    fb = np.empty((3, sb.BATCH))
    r2 = np.array([0.0, 0.25, 3.9, 4.0, 4.1, 1e300, 1.0])
    fb[0, :r2.size] = r2
    assert sb.newton_batch(r2.size, fb, 1.0, 4.0) == 4
    assert sb.newton_batch(2, np.ascontiguousarray(fb[:, 1:]), 1.0, 4.0) == 0

def _direct(pos, q, tgt, r0, rc):
    """Direct sums with scipy's erfc at the targets (pairs at distance 0 skipped): value, gradient, and the
    sums of |q_j S| and |q_j S'| (the scales of the rounding errors)."""
    d = tgt[:, None, :] - pos[None, :, :]
    r = np.sqrt(np.sum(d * d, axis=2))
    use = (r < rc) & (r > 0.0)
    rs = np.where(use, r, 1.0)
    s = np.where(use, erfc(rs / r0) / rs, 0.0)
    ds = np.where(use, (-2.0 / np.sqrt(np.pi) / r0 * np.exp(-(rs / r0) ** 2) - erfc(rs / r0) / rs) / rs**2, 0.0)
    return s @ q, np.einsum("tj,tjk,j->tk", ds, d, q), np.abs(s) @ np.abs(q), np.abs(ds * rs) @ np.abs(q)


@pytest.mark.parametrize(("r0", "rc"), [(0.6, 3.5), (0.06, 1.8)])
def test_batched_pairs_overflowing_batches_coincident_points(r0, rc):
    """A cluster where each particle has more candidates than a batch holds, two coincident particles,
    and (second case) pairs beyond the batched formulas' reach (r > 8 r0): the sums equal the direct ones to
    rounding (64 ulps of the sums of magnitudes)."""
    rng = np.random.default_rng(5)
    n = 2500
    pos = rng.normal(scale=0.4, size=(n, 3))
    pos[7] = pos[3]  # coincident: excluded, as in the direct sum
    q = rng.uniform(-1.0, 1.0, n)
    far = np.linalg.norm(pos[:, None] - pos[None, :], axis=2)
    if rc > sb.NEWTON_BATCH_REACH * r0:
        assert np.count_nonzero((far > sb.NEWTON_BATCH_REACH * r0) & (far < rc)) > 1000
    v_ref, g_ref, vmag, gmag = _direct(pos, q, pos, r0, rc)
    potential, forces = short_pairs(pos, q, "newton", r0, 1.0, rc, 0.0)
    assert np.all(np.abs(potential - v_ref) <= 64 * EPS * vmag)
    assert np.all(np.linalg.norm(forces + q[:, None] * g_ref, axis=1) <= 64 * EPS * np.abs(q) * gmag)
    # targets path (values and gradients), targets on and off the particles
    tgt = np.vstack([pos[:50], rng.normal(scale=0.5, size=(50, 3))])
    v_ref, g_ref, vmag, gmag = _direct(pos, q, tgt, r0, rc)
    out = short_sums(pos, q, tgt, "newton", r0, 1.0, rc, True, 0.0)
    assert np.all(np.abs(out[:, 0] - v_ref) <= 64 * EPS * vmag)
    assert np.all(np.linalg.norm(out[:, 1:] - g_ref, axis=1) <= 64 * EPS * gmag)
    values = short_sums(pos, q, tgt, "newton", r0, 1.0, rc, False, 0.0)
    assert np.all(np.abs(values[:, 0] - v_ref) <= 64 * EPS * vmag)
