"""Demo of the shared layer: quadrature convergence, Chebyshev coefficient decay, harmonic orthonormality."""

from __future__ import annotations

import math
import os

import numpy as np

from specnum._validation import as_float, as_int
from specnum.bases import chebyshev, quadrature, sphharm

__all__ = ["DEFAULTS", "DESCRIPTION", "TITLE", "HEADLINE", "run", "plot"]

TITLE = "Shared layer: quadrature, Chebyshev, spherical harmonics"
DESCRIPTION = "Gauss-Legendre vs Clenshaw-Curtis on a Runge function, Chebyshev chop, SH orthonormality"
#: result keys a sweep summary shows (see specnum.experiments.summary)
HEADLINE = ("chop", "rho")
DEFAULTS = {"runge": 25.0, "nmax": 96, "lmax": 32, "quick": False}


def run(params: dict) -> dict:
    """Run the shared-layer demo.

    Parameters
    ----------
    params : dict
        ``runge`` (c in f(x) = 1/(1 + c x^2)), ``nmax`` (largest rule size),
        ``lmax`` (largest harmonic degree of the orthonormality check), ``quick``.

    Returns
    -------
    dict
        ``summary``, ``tables`` and the raw data of the figures.
    """
    params = {**DEFAULTS, **params}  # missing keys take their defaults
    c = as_float(params["runge"], "runge", low=0.0, low_open=True)
    nmax = as_int(params["nmax"], "nmax", minimum=4)
    lmax_top = as_int(params["lmax"], "lmax", minimum=8)
    if params["quick"]:
        nmax, lmax_top = min(nmax, 48), min(lmax_top, 16)
    exact = 2.0 * math.atan(math.sqrt(c)) / math.sqrt(c)  # int_{-1}^{1} dx / (1 + c x^2)

    def f(x):
        return 1.0 / (1.0 + c * x * x)

    ns = [n for n in (4, 8, 12, 16, 24, 32, 48, 64, 96, 128) if n <= nmax]
    gl, cc = [], []
    for n in ns:
        x, w = quadrature.gauss_legendre(n)
        gl.append(abs(w @ f(x) - exact) / exact)
        x, w = quadrature.clenshaw_curtis(n)
        cc.append(abs(w @ f(x) - exact) / exact)

    ncheb = 256
    coeffs = chebyshev.vals_to_coeffs(f(chebyshev.points(ncheb, kind=1)), kind=1)
    cut = int(chebyshev.chop(coeffs, rtol=2.0**-52))
    # Bernstein ellipse parameter of the poles at +-i/sqrt(c): coefficients decay like rho^-k
    rho = 1.0 / math.sqrt(c) + math.sqrt(1.0 + 1.0 / c)
    k = np.arange(ncheb)
    even = k[(k % 2 == 0) & (k < cut)]
    slope = float(np.polyfit(even[len(even) // 4:], np.log(np.abs(coeffs[even[len(even) // 4:]])), 1)[0])

    ortho = []
    for lmax in [L for L in (8, 16, 32, 64) if L <= lmax_top]:
        grid = sphharm.sphere_grid(2 * lmax)
        Y = sphharm.real_sph_harm(lmax, grid.theta[:, None], grid.phi[None, :]).reshape(-1, (lmax + 1) ** 2)
        gram = (Y * grid.weights.reshape(-1, 1)).T @ Y
        ortho.append([lmax, (lmax + 1) ** 2, float(np.max(np.abs(gram - np.eye(gram.shape[0]))))])

    return {
        "summary": [
            f"quadrature of 1/(1+{c:g}x^2) on [-1,1]: Gauss-Legendre reaches {min(gl):.2e} relative error, "
            f"Clenshaw-Curtis {min(cc):.2e} (n <= {ns[-1]})",
            f"Chebyshev coefficients decay like rho^-k with rho = {rho:.4f} (fitted {math.exp(-slope):.4f}); "
            f"chop keeps {cut} of {ncheb}",
            f"real spherical harmonics are orthonormal to {max(r[2] for r in ortho):.1e} up to lmax = {ortho[-1][0]}",
        ],
        "tables": [
            {"title": "Relative quadrature error", "headers": ["n", "Gauss-Legendre", "Clenshaw-Curtis"],
             "rows": [[n, a, b] for n, a, b in zip(ns, gl, cc)]},
            {"title": "Orthonormality of real spherical harmonics on the Gauss-Legendre x uniform grid",
             "headers": ["lmax", "functions", "max |Gram - I|"], "rows": ortho},
        ],
        "ns": ns, "gauss_legendre": gl, "clenshaw_curtis": cc,
        "cheb_coeffs": np.abs(coeffs).tolist(), "chop": cut, "rho": rho, "runge": c,
    }


def plot(result: dict, outdir: str) -> list[str]:
    """Write the demo's figures (PNG, each with its caption embedded) into ``outdir``; return their paths."""
    import matplotlib.pyplot as plt

    from specnum.plotting.bases import plot_chebyshev_coefficients, plot_quadrature_convergence
    from specnum.plotting.figures import save_figure

    c = result.get("runge", DEFAULTS["runge"])
    paths = []
    fig, ax = plt.subplots(figsize=(5, 3.6))
    plot_quadrature_convergence(result["ns"], {"Gauss-Legendre": result["gauss_legendre"],
                                               "Clenshaw-Curtis": result["clenshaw_curtis"]}, ax=ax)
    paths.append(save_figure(
        fig, os.path.join(outdir, "quadrature_convergence.png"),
        f"Relative error of the n-point Gauss-Legendre and Clenshaw-Curtis rules for the integral of the Runge "
        f"function 1/(1 + {c:g} x^2) over [-1, 1] (semilog-y). Look for: both converge geometrically at about "
        f"the same rate, set by the poles at +-i/{math.sqrt(c):.3g}; Clenshaw-Curtis is a small factor behind and both "
        "end at rounding level."))
    fig, ax = plt.subplots(figsize=(5, 3.6))
    plot_chebyshev_coefficients(result["cheb_coeffs"], cut=result["chop"], rho=result["rho"], ax=ax)
    paths.append(save_figure(
        fig, os.path.join(outdir, "chebyshev_coefficients.png"),
        f"Absolute Chebyshev coefficients |c_k| of the degree-{len(result['cheb_coeffs']) - 1} interpolant of the "
        f"same Runge function (the odd ones vanish by symmetry and are not drawn), with the rate rho^-k of the "
        f"Bernstein ellipse through its poles (rho = {result['rho']:.4f}, dashed) and the chop point (dotted). "
        "Look for: the coefficients follow rho^-k down to rounding level, where chop cuts the series."))
    return paths
