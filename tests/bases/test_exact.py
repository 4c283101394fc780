"""Tests of specnum.bases.exact: exact 3j / CG / Gaunt values and mpmath Gauss-Legendre.

References are closed forms in exact rationals (stretched states, (l1 l2 l3; 0 0 0),
j3 = 0), Cartesian integrals of low-degree real harmonics, exact symmetry relations,
orthogonality evaluated in mpmath at 40 digits, and numpy's ``leggauss``.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from specnum.bases.exact import (
    SqrtRational,
    clebsch_gordan_exact,
    clebsch_gordan_mp,
    complex_gaunt_exact,
    complex_gaunt_mp,
    gauss_legendre_mp,
    real_gaunt_exact,
    real_gaunt_mp,
    wigner_3j_exact,
    wigner_3j_mp,
)

EPS = np.finfo(float).eps
f = math.factorial


# ---------------------------------------------------------------- SqrtRational
def test_sqrt_rational_float_mpf_and_arithmetic():
    r = SqrtRational(-1, Fraction(2, 3))
    assert float(r) == -math.sqrt(2 / 3)
    with mpmath.workdps(40):
        assert abs(r.to_mpf(40) + mpmath.sqrt(mpmath.mpf(2) / 3)) < mpmath.mpf(10) ** -39
    assert (-r).sign == 1 and (-r).q == r.q
    p = r * SqrtRational(1, Fraction(3, 2), -1)
    assert (p.sign, p.q, p.pi_power) == (-1, Fraction(1), -1)
    assert (r * -2).q == Fraction(8, 3) and (r * -2).sign == 1
    g = SqrtRational(1, Fraction(1), -1)
    assert float(g) == pytest.approx(1 / math.sqrt(math.pi), rel=2 * EPS)  # one rounding each step
    assert float(SqrtRational(0, Fraction(0))) == 0.0


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((2, Fraction(1)), ValueError, "sign"),
        ((1, Fraction(-1)), ValueError, "q must be >= 0"),
        ((0, Fraction(1)), ValueError, "sign must be 0"),
        ((1, Fraction(0)), ValueError, "sign must be 0"),
        ((1, 0.5), TypeError, "q must be"),
        ((1.0, Fraction(1)), TypeError, "sign"),
        ((1, Fraction(1), 0.5), TypeError, "pi_power"),
    ],
)
def test_sqrt_rational_validation(args, exc, match):
    with pytest.raises(exc, match=match):
        SqrtRational(*args)


# ---------------------------------------------------------------- 3j closed forms
def test_three_j_with_zero_j3_closed_form():
    # (j j 0; m -m 0) = (-1)^(j-m) / sqrt(2j+1)
    for j in range(12):
        for m in range(-j, j + 1):
            r = wigner_3j_exact(j, j, 0, m, -m, 0)
            assert r == SqrtRational(-1 if (j - m) % 2 else 1, Fraction(1, 2 * j + 1))


def test_three_j_stretched_closed_form():
    # (j1 j2 J; m1 m2 -M), J = j1 + j2, M = m1 + m2:
    # (-1)^(j1-j2+M) sqrt[(2j1)! (2j2)! (J+M)! (J-M)! / ((2J+1)! (j1+m1)! (j1-m1)! (j2+m2)! (j2-m2)!)]
    for j1, j2 in itertools.product(range(6), repeat=2):
        big_j = j1 + j2
        for m1 in range(-j1, j1 + 1):
            for m2 in range(-j2, j2 + 1):
                big_m = m1 + m2
                q = Fraction(f(2 * j1) * f(2 * j2) * f(big_j + big_m) * f(big_j - big_m),
                             f(2 * big_j + 1) * f(j1 + m1) * f(j1 - m1) * f(j2 + m2) * f(j2 - m2))
                expected = SqrtRational(-1 if (j1 - j2 + big_m) % 2 else 1, q)
                assert wigner_3j_exact(j1, j2, big_j, m1, m2, -big_m) == expected


def test_three_j_zero_projections_closed_form():
    # (l1 l2 l3; 0 0 0) = (-1)^g sqrt[(2g-2l1)!(2g-2l2)!(2g-2l3)!/(2g+1)!] g!/((g-l1)!(g-l2)!(g-l3)!),
    # 2g = l1+l2+l3 even; zero for odd sum
    for l1, l2 in itertools.product(range(9), repeat=2):
        for l3 in range(abs(l1 - l2), l1 + l2 + 1):
            r = wigner_3j_exact(l1, l2, l3, 0, 0, 0)
            if (l1 + l2 + l3) % 2:
                assert r.sign == 0
                continue
            g = (l1 + l2 + l3) // 2
            q = Fraction(f(2 * g - 2 * l1) * f(2 * g - 2 * l2) * f(2 * g - 2 * l3), f(2 * g + 1))
            q *= Fraction(f(g), f(g - l1) * f(g - l2) * f(g - l3)) ** 2
            assert r == SqrtRational((-1) ** g, q)


def test_three_j_selection_rules_give_zero():
    assert wigner_3j_exact(2, 2, 5, 0, 0, 0).sign == 0  # triangle
    assert wigner_3j_exact(2, 2, 1, 1, 0, 0).sign == 0  # m sum
    assert wigner_3j_exact(3, 3, 3, 0, 0, 0).sign == 0  # odd sum with zero m
    assert wigner_3j_exact(2, 3, 3, 0, 2, -2).sign == 0  # accidental (non-trivial) zero


def test_three_j_symmetries_exact():
    rng = np.random.default_rng(3)
    for _ in range(60):
        j1, j2 = (int(v) for v in rng.integers(0, 8, size=2))
        j3 = int(rng.integers(abs(j1 - j2), j1 + j2 + 1))
        m1 = int(rng.integers(-j1, j1 + 1))
        m2 = int(rng.integers(-j2, j2 + 1))
        m3 = -m1 - m2
        if abs(m3) > j3:
            continue
        r = wigner_3j_exact(j1, j2, j3, m1, m2, m3)
        odd = (-1) ** (j1 + j2 + j3)
        assert wigner_3j_exact(j2, j3, j1, m2, m3, m1) == r  # cyclic
        assert wigner_3j_exact(j3, j1, j2, m3, m1, m2) == r
        assert float(wigner_3j_exact(j2, j1, j3, m2, m1, m3)) == odd * float(r)  # odd permutation
        assert float(wigner_3j_exact(j1, j3, j2, m1, m3, m2)) == odd * float(r)
        assert float(wigner_3j_exact(j1, j2, j3, -m1, -m2, -m3)) == odd * float(r)  # m -> -m


@pytest.mark.parametrize("j1, j2", [(1, 1), (2, 3), (4, 2)])
def test_three_j_orthogonality_mp(j1, j2):
    # sum_{m1,m2} (2j3+1) (j1 j2 j3; m1 m2 m3)(j1 j2 j3'; m1 m2 m3') = delta_{j3 j3'} delta_{m3 m3'}
    with mpmath.workdps(40):
        tol = mpmath.mpf(10) ** -35
        for j3, j3p in itertools.product(range(abs(j1 - j2), j1 + j2 + 1), repeat=2):
            for m3, m3p in itertools.product(range(-j3, j3 + 1), range(-j3p, j3p + 1)):
                s = mpmath.mpf(0)
                for m1 in range(-j1, j1 + 1):
                    m2 = -m1 - m3
                    if abs(m2) > j2 or abs(m1 + m2 + m3p) != 0:
                        continue
                    s += (wigner_3j_exact(j1, j2, j3, m1, m2, m3).to_mpf(40)
                          * wigner_3j_exact(j1, j2, j3p, m1, m2, m3p).to_mpf(40))
                expected = mpmath.mpf(1) / (2 * j3 + 1) if (j3, m3) == (j3p, m3p) else 0
                assert abs(s - expected) < tol


# ---------------------------------------------------------------- Clebsch-Gordan
def test_clebsch_gordan_closed_forms():
    for j1, j2 in itertools.product(range(6), repeat=2):
        big_j = j1 + j2
        # highest weight: <j1 j1 j2 j2 | J J> = 1
        assert clebsch_gordan_exact(j1, j1, j2, j2, big_j, big_j) == SqrtRational(1, Fraction(1))
        # stretched: <j1 m1 j2 m2|J M> = sqrt(C(2j1, j1+m1) C(2j2, j2+m2) / C(2J, J+M))
        for m1 in range(-j1, j1 + 1):
            for m2 in range(-j2, j2 + 1):
                q = Fraction(math.comb(2 * j1, j1 + m1) * math.comb(2 * j2, j2 + m2),
                             math.comb(2 * big_j, big_j + m1 + m2))
                assert clebsch_gordan_exact(j1, m1, j2, m2, big_j, m1 + m2) == SqrtRational(1, q)
        # coupling to zero: <j m j -m | 0 0> = (-1)^(j-m) / sqrt(2j+1)
        for m in range(-j1, j1 + 1):
            phase = -1 if (j1 - m) % 2 else 1
            assert clebsch_gordan_exact(j1, m, j1, -m, 0, 0) == SqrtRational(phase, Fraction(1, 2 * j1 + 1))
            assert clebsch_gordan_exact(j1, m, 0, 0, j1, m) == SqrtRational(1, Fraction(1))
    assert clebsch_gordan_exact(1, 1, 1, 0, 2, 2).sign == 0  # m1 + m2 != m3


def test_clebsch_gordan_unitarity_small():
    # sum_{J,M} <j1 m1 j2 m2|J M><j1 m1' j2 m2'|J M> = delta: the CG matrix is orthogonal
    j1, j2 = 2, 1
    rows = [(m1, m2) for m1 in range(-j1, j1 + 1) for m2 in range(-j2, j2 + 1)]
    cols = [(big_j, big_m) for big_j in range(j1 - j2, j1 + j2 + 1) for big_m in range(-big_j, big_j + 1)]
    mat = np.array([[float(clebsch_gordan_exact(j1, m1, j2, m2, big_j, big_m)) for big_j, big_m in cols]
                    for m1, m2 in rows])
    np.testing.assert_allclose(mat @ mat.T, np.eye(len(rows)), atol=8 * EPS)  # rounding of 15 terms


# ---------------------------------------------------------------- Gaunt
def test_real_gaunt_known_values():
    # G[(4,0),(4,0),(4,0)] = 243 / (1001 sqrt(pi))
    assert real_gaunt_exact(4, 0, 4, 0, 4, 0) == SqrtRational(1, Fraction(243**2, 1001**2), -1)
    # Y_00 = 1/sqrt(4 pi): G[(0,0),(l,m),(l,m)] = 1/sqrt(4 pi)
    for l in range(5):
        for m in range(-l, l + 1):
            assert real_gaunt_exact(0, 0, l, m, l, m) == SqrtRational(1, Fraction(1, 4), -1)


def test_real_gaunt_cartesian_integrals():
    # Cartesian real harmonics (no CS phase): Y_{1,-1..1} = sqrt(3/4pi)(y, z, x),
    # Y_{2,-2} = sqrt(15/pi)/2 xy, Y_{2,2} = sqrt(15/pi)/4 (x^2 - y^2), Y_{2,1} = sqrt(15/pi)/2 xz,
    # Y_{2,0} = sqrt(5/pi)/4 (3z^2 - 1); with int x^4 = 4pi/5, int x^2 y^2 = 4pi/15:
    q = Fraction(3, 20)  # int Y_{1,1} Y_{1,-1} Y_{2,-2} = (3/4pi)(sqrt(15/pi)/2)(4pi/15) = sqrt(3/(20 pi))
    assert real_gaunt_exact(1, 1, 1, -1, 2, -2) == SqrtRational(1, q, -1)
    assert real_gaunt_exact(1, 1, 1, 1, 2, 2) == SqrtRational(1, q, -1)  # int x^2 (x^2-y^2) = 8pi/15
    assert real_gaunt_exact(1, -1, 1, -1, 2, 2) == SqrtRational(-1, q, -1)  # int y^2 (x^2-y^2) < 0
    assert real_gaunt_exact(1, 1, 1, 0, 2, 1) == SqrtRational(1, q, -1)  # int x z * xz
    # int z z Y_{2,0} = (3/4pi) sqrt(5/pi)/4 int (3 z^4 - z^2) = (3/4pi) sqrt(5/pi)/4 (8pi/15)
    #                = sqrt(1/(5 pi))
    assert real_gaunt_exact(1, 0, 1, 0, 2, 0) == SqrtRational(1, Fraction(1, 5), -1)
    assert real_gaunt_exact(1, 1, 1, 1, 2, 0) == SqrtRational(-1, Fraction(1, 20), -1)


def test_real_gaunt_selection_rules_and_symmetry():
    def rule(m1, m2, m3):
        a1, a2, a3 = abs(m1), abs(m2), abs(m3)
        return a3 in (a1 + a2, abs(a1 - a2)) and sum(m < 0 for m in (m1, m2, m3)) % 2 == 0

    for l1, l2, l3 in [(1, 2, 3), (2, 2, 2), (2, 3, 4), (1, 1, 1), (2, 3, 3)]:
        for m1, m2, m3 in itertools.product(range(-l1, l1 + 1), range(-l2, l2 + 1), range(-l3, l3 + 1)):
            r = real_gaunt_exact(l1, m1, l2, m2, l3, m3)
            if r.sign:
                assert (l1 + l2 + l3) % 2 == 0 and rule(m1, m2, m3)
            assert real_gaunt_exact(l2, m2, l3, m3, l1, m1) == r
            assert real_gaunt_exact(l2, m2, l1, m1, l3, m3) == r


def test_complex_gaunt_definition():
    # sqrt((2l1+1)(2l2+1)(2l3+1)/(4pi)) (l1 l2 l3;000)(l1 l2 l3;m1 m2 m3); Y_1^1 Y_1^-1 Y_0^0 = -1/sqrt(4pi)
    assert complex_gaunt_exact(1, 1, 1, -1, 0, 0) == SqrtRational(-1, Fraction(1, 4), -1)
    assert complex_gaunt_exact(1, 1, 1, 1, 2, -2).q == Fraction(3, 10)  # 2 * (3/20): |m| sum term
    assert complex_gaunt_exact(1, 0, 1, 0, 1, 0).sign == 0


def test_mp_variants_match_independent_mpmath():
    with mpmath.workdps(50):
        ref = mpmath.mpf(243) / 1001 / mpmath.sqrt(mpmath.pi)
        assert abs(real_gaunt_mp(4, 0, 4, 0, 4, 0, dps=45) - ref) < mpmath.mpf(10) ** -44
        assert abs(wigner_3j_mp(1, 1, 0, 0, 0, 0, dps=45) + 1 / mpmath.sqrt(3)) < mpmath.mpf(10) ** -44
        assert abs(clebsch_gordan_mp(1, 1, 1, -1, 2, 0, dps=45) - 1 / mpmath.sqrt(6)) < mpmath.mpf(10) ** -44
        assert abs(complex_gaunt_mp(0, 0, 0, 0, 0, 0, dps=45) - 1 / mpmath.sqrt(4 * mpmath.pi)) < mpmath.mpf(
            10) ** -44


def test_large_l_values_are_exact_and_finite():
    # l ~ 60: the exact value is tiny but representable; to_mpf and float agree to 2 ulp
    r = wigner_3j_exact(60, 55, 90, 17, -30, 13)
    with mpmath.workdps(30):
        assert float(r) == pytest.approx(float(r.to_mpf(30)), rel=2 * EPS)
    assert r.sign != 0


@pytest.mark.parametrize(
    "func, args, exc, match",
    [
        (wigner_3j_exact, (-1, 1, 1, 0, 0, 0), ValueError, "j1"),
        (wigner_3j_exact, (1, 1, 1, 0, 2, 0), ValueError, "m2"),
        (wigner_3j_exact, (1, 1, 1.5, 0, 0, 0), TypeError, "j3"),
        (wigner_3j_exact, (1, 1, 1, 0, 0, "0"), TypeError, "m3"),
        (clebsch_gordan_exact, (1, 0, 1, 0, 2, 3), ValueError, "m3"),
        (real_gaunt_exact, (1, 2, 1, 0, 2, 0), ValueError, "m1"),
        (real_gaunt_exact, (1, 0, -2, 0, 2, 0), ValueError, "l2"),
        (real_gaunt_exact, (True, 0, 1, 0, 1, 0), TypeError, "l1"),
        (complex_gaunt_exact, (1, 0, 1, 0, 2.0, 0), TypeError, "l3"),
        (real_gaunt_mp, (1, 0, 1, 0, 2, 0, 0), ValueError, "dps"),
        (gauss_legendre_mp, (0,), ValueError, "n"),
        (gauss_legendre_mp, (3, 0), ValueError, "dps"),
        (gauss_legendre_mp, (2.5,), TypeError, "n"),
    ],
)
def test_bad_input_names_the_argument(func, args, exc, match):
    with pytest.raises(exc, match=match):
        func(*args)


# ---------------------------------------------------------------- Gauss-Legendre in mpmath
@pytest.mark.parametrize("n", [1, 2, 5, 12, 33])
def test_gauss_legendre_mp_matches_numpy_and_is_exact(n):
    x, w = gauss_legendre_mp(n, dps=40)
    xn, wn = np.polynomial.legendre.leggauss(n)
    np.testing.assert_allclose([float(v) for v in x], xn, rtol=0, atol=16 * EPS)  # numpy's own rounding
    # numpy's weights carry ~1e-15 absolute error (relative 5e-14 for n = 33); exactness is tested below
    np.testing.assert_allclose([float(v) for v in w], wn, rtol=0, atol=8 * EPS)
    with mpmath.workdps(40):
        tol = mpmath.mpf(10) ** -36
        for k in range(0, 2 * n, 2):  # monomials up to degree 2n - 2 (odd ones vanish by symmetry)
            s = mpmath.fsum(wi * xi**k for xi, wi in zip(x, w, strict=True))
            assert abs(s - mpmath.mpf(2) / (k + 1)) < tol
        assert all(x[i] < x[i + 1] for i in range(n - 1))
        assert all(x[i] == -x[n - 1 - i] for i in range(n))
