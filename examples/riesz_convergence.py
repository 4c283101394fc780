"""Convergence of Riesz B-spline collocation on a smooth manufactured solution.

Solves L u = c_alpha (D_left^alpha + D_right^alpha) u = s on (0, 1), u = 0 outside, for
u = x^2 (1-x)^2 e^x (problem T2) with degrees p = 2..5, prints the max errors with observed
against expected orders (p + 2 - alpha for even p, p + 1 - alpha for odd p) and saves a
log-log plot.

    python examples/riesz_convergence.py [figure.png] [--alpha 1.5]
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

from specnum.riesz import RieszCollocation
from specnum.riesz.manufactured import test_problem
from specnum.testing import observed_order


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("figure", nargs="?", default=os.path.join(tempfile.gettempdir(), "riesz_convergence.png"))
    parser.add_argument("--alpha", type=float, default=1.5)
    args = parser.parse_args()
    alpha = args.alpha
    prob = test_problem("T2", alpha)
    x = np.linspace(0.0, 1.0, 4001)
    ns = [16, 32, 64, 128, 256]
    errors, expected = {}, {}
    print(f"max error on u = x^2 (1-x)^2 e^x, alpha = {alpha}")
    print(f"{'p':>2} " + " ".join(f"{'n=' + str(n):>10}" for n in ns) + "   observed  expected")
    for p in (2, 3, 4, 5):
        errs = []
        for n in ns:
            sol = RieszCollocation(p, n, alpha).solve(prob.source)  # auto: LU for small N, tau-GMRES above
            errs.append(float(np.max(np.abs(sol(x) - prob.exact(x)))))
        use = [i for i, e in enumerate(errs) if e > 1e-12] or list(range(len(ns)))  # stay above rounding
        order = observed_order([ns[i] for i in use], [errs[i] for i in use])
        exp = p + 2 - alpha if p % 2 == 0 else p + 1 - alpha
        errors[f"p={p}"], expected[f"p={p}"] = errs, exp
        print(f"{p:>2} " + " ".join(f"{e:10.2e}" for e in errs) + f"   {order:8.3f}  {exp:8.3f}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from specnum.plotting.riesz import plot_convergence

    fig, ax = plt.subplots(figsize=(5.5, 4))
    plot_convergence(ns, errors, expected=expected, ax=ax)
    ax.set_title(f"Riesz collocation, alpha = {alpha}")
    fig.savefig(args.figure, dpi=110, bbox_inches="tight")
    print(f"figure written to {args.figure}")


if __name__ == "__main__":
    main()
