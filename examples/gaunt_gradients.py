"""Training a Gaunt tensor-product layer with its analytic gradients (NumPy, optional PyTorch).

A target layer with hidden per-degree weights maps pairs of random spherical functions
(degrees 0..3, 8 channels) to their weighted Gaunt product. A second layer starts from unit
weights and learns the hidden ones by gradient steps (Adam) on the mean squared error, using
``GauntTensorProduct.vjp`` for the gradients of its three weight vectors. The gradients are
checked against central finite differences first. If PyTorch is installed, the same product
is run through ``specnum.gaunt.torch`` and its autograd gradients are compared with the
NumPy ones. Runs in a few seconds.

    python examples/gaunt_gradients.py
"""

from __future__ import annotations

import importlib.util

import numpy as np

from specnum.gaunt import GauntTensorProduct, gaunt_product_vjp

L, C = 3, 8


def mse_and_grads(layer, x1, x2, target):
    out = layer(x1, x2)
    resid = out - target
    grads = layer.vjp(x1, x2, 2.0 * resid / resid.size)
    return float(np.mean(resid**2)), grads


def main():
    rng = np.random.default_rng(0)
    hidden = {name: rng.uniform(0.5, 1.5, size=n) for name, n in (("w1", L + 1), ("w2", L + 1), ("w3", 2 * L + 1))}
    teacher = GauntTensorProduct(L, L, 2 * L, channels=C, **hidden)
    x1, x2 = rng.standard_normal((2, 256, C, (L + 1) ** 2))
    target = teacher(x1, x2)

    student = GauntTensorProduct(L, L, 2 * L, channels=C)
    loss, grads = mse_and_grads(student, x1, x2, target)
    # finite-difference check of d loss / d w3[2]
    h = 1e-6
    w3p, w3m = student.w3.copy(), student.w3.copy()
    w3p[2] += h
    w3m[2] -= h
    lp = mse_and_grads(GauntTensorProduct(L, L, 2 * L, channels=C, w3=w3p), x1, x2, target)[0]
    lm = mse_and_grads(GauntTensorProduct(L, L, 2 * L, channels=C, w3=w3m), x1, x2, target)[0]
    print(f"d loss / d w3[2]: analytic {grads.w3[2]:.10f}, finite differences {(lp - lm) / (2 * h):.10f}")

    w = {"w1": student.w1.copy(), "w2": student.w2.copy(), "w3": student.w3.copy()}
    m = {name: np.zeros_like(v) for name, v in w.items()}
    v2 = {name: np.zeros_like(v) for name, v in w.items()}
    for it in range(1, 301):  # Adam, step 0.02
        student = GauntTensorProduct(L, L, 2 * L, channels=C, **w)
        loss, grads = mse_and_grads(student, x1, x2, target)
        if it % 60 == 1:
            print(f"step {it:3d}: loss {loss:.3e}")
        for name in w:
            gr = getattr(grads, name)
            m[name] = 0.9 * m[name] + 0.1 * gr
            v2[name] = 0.999 * v2[name] + 0.001 * gr**2
            w[name] = w[name] - 0.02 * (m[name] / (1 - 0.9**it)) / (np.sqrt(v2[name] / (1 - 0.999**it)) + 1e-12)
    print(f"step {it:3d}: loss {loss:.3e}")
    # weights are determined up to the scale shared by w1 w2 w3: compare the products of paths
    learned = w["w1"][:, None, None] * w["w2"][None, :, None] * w["w3"][None, None, :]
    truth = hidden["w1"][:, None, None] * hidden["w2"][None, :, None] * hidden["w3"][None, None, :]
    print(f"max relative error of the learned path weights w1 w2 w3: {np.abs(learned / truth - 1).max():.1e}")

    if importlib.util.find_spec("torch") is not None:
        import torch

        from specnum.gaunt.torch import gaunt_product

        a = torch.from_numpy(x1[:4, 0]).requires_grad_()
        b = torch.from_numpy(x2[:4, 0]).requires_grad_()
        g = rng.standard_normal((4, (2 * L + 1) ** 2))
        (gaunt_product(a, b) * torch.from_numpy(g)).sum().backward()
        ga, gb = gaunt_product_vjp(x1[:4, 0], x2[:4, 0], g)
        err = max(np.abs(a.grad.numpy() - ga).max(), np.abs(b.grad.numpy() - gb).max())
        print(f"torch autograd through specnum.gaunt.torch vs gaunt_product_vjp: max difference {err:.1e}")


if __name__ == "__main__":
    main()
