"""The symbol of the Riesz collocation matrices, their eigenvalues, outliers and conditioning.

Draws (1) f_{p,alpha} on [0, pi] for p = 2..6 and its normalised version (decay at pi),
(2) the sorted eigenvalues of h^alpha A over the sampled symbol with the 2(p-2) outliers marked,
(3) kappa_2(A) against n with the fitted slope (expected alpha), and prints the numbers.

    python examples/riesz_symbol_eigenvalues.py [figure.png] [--alpha 1.5]
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

from specnum.riesz import compare_spectrum, condition_numbers, riesz_symbol


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("figure", nargs="?",
                        default=os.path.join(tempfile.gettempdir(), "riesz_symbol_eigenvalues.png"))
    parser.add_argument("--alpha", type=float, default=1.5)
    args = parser.parse_args()
    alpha = args.alpha
    theta = np.linspace(0.0, np.pi, 401)
    curves = {f"p={p}": riesz_symbol(theta, p, alpha) for p in range(2, 7)}
    for label, f in curves.items():
        print(f"{label}: max f = {f.max():.4f}, f(pi)/max f = {f[-1] / f.max():.3f}")

    spectra = [compare_spectrum(p, 128, alpha) for p in (2, 3, 4, 5)]
    for c in spectra:
        print(f"p={c.degree}, n={c.n}: outliers {np.round(c.outliers, 4).tolist()}, "
              f"bulk max|lambda - f| = {c.bulk_error:.1e}")
    growth = {p: condition_numbers(p, [32, 64, 128, 256], alpha) for p in (2, 3, 4, 5)}
    for p, g in growth.items():
        print(f"p={p}: kappa_2(A) = {np.array2string(g.condition, precision=3)}, fitted exponent {g.exponent:.3f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.riesz import plot_condition, plot_eigenvalues, plot_symbol

    fig, axes = plt.subplots(2, 3, figsize=(14, 8))
    plot_symbol(theta, curves, ax=axes[0, 0])
    plot_symbol(theta, curves, normalise=True, ax=axes[0, 1])
    plot_condition(growth[2].ns, {f"p={p}": g.condition for p, g in growth.items()},
                   slopes={f"p={p}": g.exponent for p, g in growth.items()}, ax=axes[0, 2])
    for c, ax in zip(spectra[:3], axes[1]):
        plot_eigenvalues(c.eigenvalues, c.samples, outliers=c.outliers, symbol_max=c.symbol_max, ax=ax)
        ax.set_title(f"p={c.degree}, alpha={alpha}, n={c.n}")
    fig.suptitle(f"Riesz B-spline collocation, alpha = {alpha}")
    fig.tight_layout()
    fig.savefig(args.figure, dpi=100, bbox_inches="tight")
    print(f"figure written to {args.figure}")


if __name__ == "__main__":
    main()
