"""Every public name of specnum.gaunt and specnum.bases.spheregrid refuses bad input.

A table of calls with NaN, inf, empty, wrong-shape, wrong-dtype and huge-size arguments;
each must raise ValueError or TypeError naming the offending argument, before any real
work (within a second, also on a busy machine). A second test checks that the table
covers every callable name in both ``__all__`` lists.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import specnum.bases.spheregrid as sg
import specnum.gaunt as g

OK4 = np.ones(4)
NAN4 = np.array([1.0, np.nan, 0.0, 0.0])
INF4 = np.array([1.0, 0.0, np.inf, 0.0])
BIG = 201 ** 2  # degree 200: the direct table alone would need terabytes
GRID = sg.sphere_grid(4)
HUGE_BATCH = np.broadcast_to(OK4, (10**9, 4))  # a view: 32 GB once copied


def _edge(n=2):
    return np.ones((n, 1, 4)), np.ones((n, 3)), np.ones((n, 1, 2))


CASES = [
    # (public name, call, exception, text the message must contain)
    ("gaunt_product", lambda: g.gaunt_product(NAN4, OK4), ValueError, "x1"),
    ("gaunt_product", lambda: g.gaunt_product(OK4, INF4), ValueError, "x2"),
    ("gaunt_product", lambda: g.gaunt_product(np.ones(0), OK4), ValueError, "x1"),
    ("gaunt_product", lambda: g.gaunt_product(OK4, np.ones((2, 5))), ValueError, "x2"),
    ("gaunt_product", lambda: g.gaunt_product(OK4.astype(complex), OK4), TypeError, "x1"),
    ("gaunt_product", lambda: g.gaunt_product(np.array(["a"] * 4), OK4), TypeError, "x1"),
    ("gaunt_product", lambda: g.gaunt_product(OK4, OK4, 10**9), ValueError, "lmax_out"),
    ("gaunt_product", lambda: g.gaunt_product(OK4, OK4, method="fft"), ValueError, "method"),
    ("gaunt_product", lambda: g.gaunt_product(np.ones(BIG), np.ones(BIG), method="direct"), ValueError, "x1"),
    ("gaunt_product", lambda: g.gaunt_product(HUGE_BATCH, OK4), ValueError, "x1"),
    ("gaunt_product", lambda: g.gaunt_product(np.ones((10**5, 4)), np.ones((10**5, 1, 4))), ValueError, "x1"),
    ("gaunt_product", lambda: g.gaunt_product(np.full(4, 1e200), np.full(4, 1e200)), ValueError, "x1 and x2"),
    ("gaunt_product_vjp", lambda: g.gaunt_product_vjp(OK4, OK4, np.ones(8)), ValueError, "grad_out"),
    ("gaunt_product_vjp", lambda: g.gaunt_product_vjp(OK4, OK4, np.ones((2, 9))), ValueError, "grad_out"),
    ("gaunt_product_vjp", lambda: g.gaunt_product_vjp(OK4, NAN4, np.ones(9)), ValueError, "x2"),
    ("gaunt_product_vjp", lambda: g.gaunt_product_vjp(OK4, OK4, np.full(9, np.inf)), ValueError, "grad_out"),
    ("gaunt_product_vjp", lambda: g.gaunt_product_vjp(np.ones(BIG), np.ones(BIG), np.ones(401**2), method="direct"),
     ValueError, "grad_out"),
    ("choose_method", lambda: g.choose_method(-1, 2, 4, nrow=10), ValueError, "lmax1"),
    ("choose_method", lambda: g.choose_method(2, 2, 4.5, nrow=10), TypeError, "lmax_out"),
    ("choose_method", lambda: g.choose_method(2, 2, 4, nrow=-1), ValueError, "nrow"),
    ("choose_method", lambda: g.choose_method(2, 2, 4, nrow=1, dtype="int8"), ValueError, "dtype"),
    ("sh_to_fourier", lambda: g.sh_to_fourier(NAN4), ValueError, "x"),
    ("sh_to_fourier", lambda: g.sh_to_fourier(np.ones(5)), ValueError, "x"),
    ("sh_to_fourier", lambda: g.sh_to_fourier(np.ones(130**2)), ValueError, "x"),
    ("sh_to_fourier", lambda: g.sh_to_fourier(np.broadcast_to(OK4, (10**8, 4))), ValueError, "sh_to_fourier"),
    ("fourier_to_sh", lambda: g.fourier_to_sh(np.ones((3, 4)), 2), ValueError, "F"),
    ("fourier_to_sh", lambda: g.fourier_to_sh(np.full((3, 3), np.nan), 2), ValueError, "F"),
    ("fourier_to_sh", lambda: g.fourier_to_sh(np.ones((3, 3)), 10**9), ValueError, "lmax"),
    ("fourier_to_sh", lambda: g.fourier_to_sh(np.ones((3, 3)), 2, cache_dir="/no/such/dir"), ValueError,
     "cache_dir"),
    ("sh_to_fourier_tables", lambda: g.sh_to_fourier_tables(10**9), ValueError, "lmax"),
    ("sh_to_fourier_tables", lambda: g.sh_to_fourier_tables(2.5), TypeError, "lmax"),
    ("fourier_to_sh_tables", lambda: g.fourier_to_sh_tables(2, 10**9), ValueError, "umax"),
    ("fourier_to_sh_tables", lambda: g.fourier_to_sh_tables(-1, 2), ValueError, "lmax"),
    ("GauntTensorProduct", lambda: g.GauntTensorProduct(10**9, 1, 1), ValueError, "lmax1"),
    ("GauntTensorProduct", lambda: g.GauntTensorProduct(1, 1, 2, channels=0), ValueError, "channels"),
    ("GauntTensorProduct", lambda: g.GauntTensorProduct(1, 1, 2, w1=[1.0, np.nan]), ValueError, "w1"),
    ("GauntTensorProduct", lambda: g.GauntTensorProduct(1, 1, 2)(np.ones((2, 1, 4)), np.ones((2, 2, 4))),
     ValueError, "x2"),
    ("GauntTensorProduct", lambda: g.GauntTensorProduct(1, 1, 2).vjp(np.ones((2, 1, 4)), np.ones((2, 1, 4)),
                                                                      np.ones((2, 1, 4))), ValueError, "grad_out"),
    ("GauntTensorProductGrad", lambda: g.GauntTensorProductGrad(OK4), TypeError, "x2"),
    ("gaunt_tensor_product_vjp", lambda: g.gaunt_tensor_product_vjp(OK4, OK4, np.ones(4)), ValueError, "grad_out"),
    ("gaunt_tensor_product_vjp", lambda: g.gaunt_tensor_product_vjp(OK4, OK4, np.ones(9), w2=[1.0]), ValueError,
     "w2"),
    ("gaunt_tensor_product", lambda: g.gaunt_tensor_product(NAN4, OK4), ValueError, "x1"),
    ("gaunt_tensor_product", lambda: g.gaunt_tensor_product(OK4, OK4, w1=np.ones(3)), ValueError, "w1"),
    ("gaunt_tensor_product", lambda: g.gaunt_tensor_product(OK4, OK4, w3=np.full(3, np.inf)), ValueError, "w3"),
    ("equivariant_convolution", lambda: g.equivariant_convolution(*_edge()[:1], np.zeros((2, 3)), _edge()[2]),
     ValueError, "edge_vectors"),
    ("equivariant_convolution", lambda: g.equivariant_convolution(np.full((2, 1, 4), np.nan), *_edge()[1:]),
     ValueError, "features"),
    ("equivariant_convolution", lambda: g.equivariant_convolution(*_edge()[:2], np.ones((3, 2))), ValueError,
     "radial_weights"),
    ("equivariant_convolution", lambda: g.equivariant_convolution(*_edge(), lmax_out=10**6, aligned=True),
     ValueError, "equivariant_convolution"),
    ("equivariant_convolution", lambda: g.equivariant_convolution(*_edge(), aligned="yes"), TypeError, "aligned"),
    ("power_products", lambda: g.power_products(OK4, 10**9), ValueError, "nu"),
    ("power_products", lambda: g.power_products(NAN4, 2), ValueError, "x"),
    ("power_products", lambda: g.power_products(OK4, 1), ValueError, "nu"),
    ("power_products", lambda: g.power_products(OK4, 2, weights=np.ones((2, 2))), ValueError, "weights"),
    ("power_products", lambda: g.power_products(np.full(4, 1e200), 3), ValueError, "x"),
    ("power_products_vjp", lambda: g.power_products_vjp(OK4, 2, np.ones(4)), ValueError, "grad_out"),
    ("power_products_vjp", lambda: g.power_products_vjp(OK4, 3, np.ones((2, 4)), weights=np.ones(2)), ValueError,
     "weights"),
    ("power_products_vjp", lambda: g.power_products_vjp(OK4, 10**9, np.ones((2, 4))), ValueError, "nu"),
    ("paths", lambda: g.paths(10**9, 10**9), ValueError, "lmax1"),
    ("paths", lambda: g.paths(1, -1), ValueError, "lmax2"),
    ("CouplingPaths", lambda: g.CouplingPaths(1, 1, 2, [[0, 0, 0]], [], []), ValueError, "gaunt and missing"),
    ("CouplingPaths", lambda: g.CouplingPaths(1, 1, 2, [["a", 0, 0]], [], []), TypeError, "cg"),
    ("antisymmetric_paths_product", lambda: g.antisymmetric_paths_product(OK4, INF4), ValueError, "x2"),
    ("antisymmetric_paths_product", lambda: g.antisymmetric_paths_product(OK4, OK4, path_weights=[1.0, 2.0]),
     ValueError, "path_weights"),
    ("antisymmetric_paths_product", lambda: g.antisymmetric_paths_product(np.ones(BIG), np.ones(BIG)),
     ValueError, "x1"),
    ("normalization_scale", lambda: g.normalization_scale(10**9), ValueError, "lmax"),
    ("normalization_scale", lambda: g.normalization_scale(2, "unit"), ValueError, "normalization"),
    ("change_normalization", lambda: g.change_normalization(NAN4, "integral", "norm"), ValueError, "x"),
    ("change_normalization", lambda: g.change_normalization(OK4, "integral", "unit"), ValueError, "target"),
    ("to_e3nn", lambda: g.to_e3nn(np.ones(BIG)), ValueError, "to_e3nn"),
    ("to_e3nn", lambda: g.to_e3nn(NAN4), ValueError, "x"),
    ("from_e3nn", lambda: g.from_e3nn(np.ones(5)), ValueError, "a"),
    ("from_e3nn", lambda: g.from_e3nn(OK4, "unit"), ValueError, "normalization"),
    ("sphere_grid", lambda: sg.sphere_grid(10**12), ValueError, "degree"),
    ("sphere_grid", lambda: sg.sphere_grid(4, n_theta=1), ValueError, "n_theta"),
    ("sphere_grid", lambda: sg.sphere_grid(-1), ValueError, "degree"),
    ("SphereGrid", lambda: sg.SphereGrid(2, 3, np.ones(3), np.ones(3), np.ones(2), 1.0), ValueError, "theta"),
    ("sphere_transform", lambda: sg.sphere_transform(-1, GRID), ValueError, "lmax"),
    ("sphere_transform", lambda: sg.sphere_transform(2, GRID, dtype="int8"), ValueError, "dtype"),
    ("sphere_transform", lambda: sg.sphere_transform(2, GRID, method="fft"), ValueError, "method"),
    ("sphere_transform", lambda: sg.sphere_transform(10**6, GRID), ValueError, "lmax"),
    ("sphere_transform", lambda: sg.sphere_transform(2, None), TypeError, "grid"),
    ("SphereTransform", lambda: sg.SphereTransform(2, GRID, np.float64, True, 1, 1, 1, 1, ()), ValueError,
     "sphere_transform"),
    ("SphereTransform", lambda: sg.SphereTransform(2.5, GRID, np.float64, True, 1, 1, 1, 1, ()), TypeError,
     "lmax"),
    ("analysis", lambda: sg.analysis(np.ones((3, 4)), GRID), ValueError, "values"),
    ("analysis", lambda: sg.analysis(np.full(GRID.shape, np.nan), GRID), ValueError, "values"),
    ("analysis", lambda: sg.analysis(np.ones(GRID.shape), GRID, 10**6), ValueError, "analysis"),
    ("analysis", lambda: sg.analysis(np.ones(GRID.shape), "grid"), TypeError, "grid"),
    ("synthesis", lambda: sg.synthesis(NAN4, GRID), ValueError, "coeffs"),
    ("synthesis", lambda: sg.synthesis(np.ones(5), GRID), ValueError, "coeffs"),
    ("synthesis", lambda: sg.synthesis(OK4, GRID, method="fast"), ValueError, "method"),
    ("synthesis", lambda: sg.synthesis(np.broadcast_to(OK4, (10**6, 4)), sg.sphere_grid(200)), ValueError,
     "synthesis"),
]


@pytest.fixture(scope="module")
def compiled():
    # the numba kernels compile (or load from their cache) on first use; not part of a refusal
    for method in ("direct", "grid", "fourier"):
        g.gaunt_product(OK4, OK4, method=method)
    g.power_products(OK4, 3)
    sg.analysis(sg.synthesis(OK4, GRID), GRID)


@pytest.mark.parametrize("name,call,exc,text", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bad_input_is_refused_quickly(name, call, exc, text, compiled):
    t0 = time.perf_counter()
    with pytest.raises(exc) as info:
        call()
    elapsed = time.perf_counter() - t0
    assert text in str(info.value), str(info.value)
    assert elapsed < 1.0, f"{name} took {elapsed:.2f} s to refuse"


def test_every_public_name_is_in_the_table():
    covered = {c[0] for c in CASES}
    names = [n for n in g.__all__ if callable(getattr(g, n))] + [n for n in sg.__all__ if callable(getattr(sg, n))]
    missing = sorted(set(names) - covered)
    assert not missing, f"add bad-input cases for {missing}"
