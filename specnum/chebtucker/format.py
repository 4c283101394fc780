"""The ChebTucker container: a mesh-free Chebyshev-Tucker function on a 3D box.

    f(x, y, z) = sum_{p,q,s} G[p,q,s] u1_p(x) u2_q(y) u3_s(z),
    uk_p(x) = sum_{i < n_k} Uk[i, p] T_i(t_k(x)),   t_k(x) = (2x - a_k - b_k)/(b_k - a_k).

Level 1 is the fixed Chebyshev basis, level 2 the orthonormal (in coefficient
space) factor matrices ``Uk`` of shape ``(n_k, r_k)`` and the core ``G`` of shape
``(r1, r2, r3)`` (Benner, Khoromskaia, Khoromskij, Sun, arXiv:2503.01696). The
class holds validated data; the algorithms live in :mod:`.construct`,
:mod:`.algebra`, :mod:`.tucker` and the numba kernels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .._dask import is_dask_array, map_points
from .._validation import as_float, as_float_array, as_int, check_budget, readonly
from ..bases import chebyshev
from . import _kernels, algebra, construct
from ._checks import (
    FLOAT_BYTES,
    INSIDE_RTOL,
    box_bounds,
    budget_input,
    check_box,
    check_point_family,
    check_rtol,
)
from .tucker import tucker_to_full

__all__ = ["ChebTucker"]

_ORTHO_TOL = 1e-8
_DEFAULT_ALGEBRA_RTOL = 1e-13


def _frozen(a: np.ndarray) -> np.ndarray:
    """``a`` read-only: frozen in place if already read-only data, else a frozen copy (callers' arrays stay theirs)."""
    return readonly(a, copy=a.flags.writeable or not a.flags.c_contiguous)


@dataclass(frozen=True, eq=False)
class ChebTucker:
    """A Chebyshev-Tucker function on a box (frozen, validated).

    Parameters
    ----------
    box : ((a1, b1), (a2, b2), (a3, b3))
        The box, ``a_k < b_k``.
    core : array_like, shape (r1, r2, r3)
        Tucker core; carries the scale.
    factors : sequence of 3 array_like, shapes (n_k, r_k)
        Chebyshev coefficients of the factor functions, orthonormal columns
        (checked to 1e-8). ``r_k = 0`` (together for all k) is the zero function.

    Attributes
    ----------
    ranks : (r1, r2, r3)
    degrees : (n1 - 1, n2 - 1, n3 - 1)
        Polynomial degree per axis (``n_k`` coefficients).

    Raises
    ------
    ValueError
        Bad box, inconsistent shapes, non-finite data or non-orthonormal factors.

    Notes
    -----
    Build with :meth:`from_function`, :meth:`from_values`, :meth:`from_cp` or
    :func:`specnum.chebtucker.long_range_potential`. Storage is
    ``n1 r1 + n2 r2 + n3 r3 + r1 r2 r3`` numbers. Evaluation outside the box
    raises ``ValueError`` unless ``extrapolate=True`` is passed (the polynomial then
    grows fast away from the box).

    Examples
    --------
    >>> import numpy as np
    >>> f = ChebTucker.from_function(lambda x, y, z: np.exp(x + y * z), ((-1, 1),) * 3, n=24, rtol=1e-12)
    >>> f.ranks[0]
    1
    >>> bool(abs(f(np.array([0.3, -0.2, 0.5])) - np.exp(0.3 - 0.1)) < 1e-10)
    True
    """

    box: tuple
    core: np.ndarray
    factors: tuple

    def __post_init__(self) -> None:
        box = check_box(self.box)
        core = as_float_array(self.core, "core", ndim=3)
        if not isinstance(self.factors, (list, tuple)) or len(self.factors) != 3:
            raise TypeError("factors must be a sequence of 3 arrays of shape (n_k, r_k)")
        facs = []
        for k in range(3):
            u = as_float_array(self.factors[k], f"factors[{k}]", ndim=2)
            if u.shape[0] < 1:
                raise ValueError(f"factors[{k}] must have at least one row, got shape {u.shape}")
            if u.shape[1] != core.shape[k]:
                raise ValueError(
                    f"factors[{k}] must have core.shape[{k}] = {core.shape[k]} columns, got shape {u.shape}"
                )
            dev = np.max(np.abs(u.T @ u - np.eye(u.shape[1])), initial=0.0)
            if dev > _ORTHO_TOL:
                raise ValueError(
                    f"factors[{k}] must have orthonormal columns (max |U^T U - I| <= {_ORTHO_TOL}), got {dev:.2e}"
                )
            facs.append(_frozen(u))
        if core.size == 0 and any(core.shape):
            core = np.zeros((0, 0, 0))
            facs = [_frozen(np.zeros((f.shape[0], 0))) for f in facs]
        object.__setattr__(self, "box", box)
        object.__setattr__(self, "core", _frozen(core))
        object.__setattr__(self, "factors", tuple(facs))

    # ----------------------------------------------------------------- properties
    @property
    def ranks(self) -> tuple[int, int, int]:
        """Tucker ranks ``(r1, r2, r3)``."""
        return tuple(int(s) for s in self.core.shape)  # type: ignore[return-value]

    @property
    def degrees(self) -> tuple[int, int, int]:
        """Polynomial degrees ``(n1 - 1, n2 - 1, n3 - 1)``."""
        return tuple(int(f.shape[0]) - 1 for f in self.factors)  # type: ignore[return-value]

    @property
    def storage(self) -> int:
        """Number of stored floats ``sum n_k r_k + r1 r2 r3``."""
        return int(sum(f.size for f in self.factors) + self.core.size)

    def __repr__(self) -> str:
        return f"ChebTucker(box={self.box}, ranks={self.ranks}, degrees={self.degrees})"

    # --------------------------------------------------------------- constructors
    @classmethod
    def from_function(
        cls,
        f: Callable,
        box,
        n: int | Sequence[int] | None,
        *,
        rtol: float = 1e-8,
        points: str | None = None,
        sweeps: int = 0,
        method: str = "hosvd",
        n_max: int = construct.adaptive_max,
        trim: bool = True,
        kind: int | None = None,
    ) -> ChebTucker:
        """Interpolate ``f`` at the Chebyshev grid and compress by truncated HOSVD.

        Parameters
        ----------
        f : callable
            Vectorised ``f(x, y, z)`` using numpy broadcasting: called once per grid
            with the open grid ``x (n1, 1, 1)``, ``y (1, n2, 1)``, ``z (1, 1, n3)``; must
            return finite values broadcastable to ``(n1, n2, n3)``.
        box : ((a1, b1), (a2, b2), (a3, b3))
        n : int, 3-tuple of int (each >= 2) or None
            Points per axis (degree ``n - 1``). ``None``: adaptive per axis, start
            at 17 points and grow ``n -> 2n - 1`` until the coefficients along the
            axis decay below ``rtol`` (Chebfun's standardChop on the maximal
            coefficient magnitude per degree), then trim the negligible tail; a
            ``SpecnumWarning`` is issued if ``n_max`` is reached first.
        rtol : float in (0, 1)
            Relative Frobenius tolerance of the truncation:
            ``||C - C_r||_F <= rtol ||C||_F`` for the coefficient tensor ``C``.
        points : {"first", "second"}, optional
            Chebyshev points of the first family (Gauss-Chebyshev; the default) or the
            second (Chebyshev-Lobatto, with the box corners).
        sweeps : int >= 0
            HOOI (ALS) sweeps at the ranks found by the HOSVD.
        method : {"hosvd", "sthosvd"}
            Classical truncated HOSVD (its ranks; computed with lossless reductions
            between the modes, see :func:`specnum.chebtucker.hosvd`), or the
            sequentially truncated one (same guarantee, ranks never larger).
        n_max : int
            Largest number of points per axis in adaptive mode.
        trim : bool
            Drop trailing degrees whose coefficients are negligible (1% of the
            budget: ``||C - C_trim||_F <= 0.01 rtol ||C||_F``; the HOSVD then uses
            ``0.99 rtol``). Lowers the cost of the HOSVD and of evaluation; the
            ``degrees`` of the result may be smaller than ``n - 1``.
        kind : {1, 2}, optional
            Deprecated spelling of ``points`` (1 = "first", 2 = "second"); issues a
            ``DeprecationWarning``.

        Returns
        -------
        ChebTucker

        Raises
        ------
        TypeError, ValueError
            Non-callable ``f``, bad box, ``n < 2``, ``rtol`` outside (0, 1),
            non-finite samples or a wrongly shaped result of ``f``, a grid over the
            size budget (:func:`specnum.size_budget`).

        Notes
        -----
        Rank of mode k: the smallest ``r_k`` with
        ``sqrt(sum_{i >= r_k} s_{k,i}^2) <= rtol ||C||_F / sqrt(3)``, where
        ``s_{k,i}`` are the singular values of the mode-k unfolding of ``C``. The
        criterion is relative and computed on ``C`` scaled by a power of two, so
        multiplying ``f`` by any constant scales the core and changes nothing else.

        Examples
        --------
        >>> import numpy as np
        >>> g = ChebTucker.from_function(lambda x, y, z: x**2 * y + z, ((0, 1), (-1, 2), (0, 3)), n=5)
        >>> print(round(float(g(np.array([0.5, 1.0, 2.0]))), 12))
        2.25
        """
        family = check_point_family(points, kind, stacklevel=3)
        data = construct.data_from_function(f, box, n, family, rtol, sweeps, method=method, n_max=n_max,
                                            trim=trim)
        return cls(*data)

    @classmethod
    def from_values(cls, values, box, *, points: str | None = None, rtol: float = 1e-8, sweeps: int = 0,
                    method: str = "hosvd", trim: bool = True, kind: int | None = None) -> ChebTucker:
        """Build from values at the Chebyshev grid.

        Parameters
        ----------
        values : array_like, shape (n1, n2, n3)
            ``values[i, j, k] = f(x_i, y_j, z_k)`` at the Chebyshev points of the family
            ``points`` on ``box[k]`` (ascending order), ``n_k >= 2``.
        box, points, rtol, sweeps, method, trim, kind
            As in :meth:`from_function`.

        Returns
        -------
        ChebTucker

        Examples
        --------
        >>> import numpy as np
        >>> from specnum.bases.chebyshev import points
        >>> x = points(6, kind=1, interval=(0, 1))
        >>> v = x[:, None, None] * x[None, :, None] ** 2 + 0 * x[None, None, :]
        >>> h = ChebTucker.from_values(v, ((0, 1),) * 3)
        >>> h.ranks
        (1, 1, 1)
        """
        family = check_point_family(points, kind, stacklevel=3)
        return cls(*construct.data_from_values(values, box, family, rtol, sweeps, method=method, trim=trim))

    @classmethod
    def from_cp(cls, weights, factors_1d, box, *, points: str | None = None, rtol: float = 1e-8,
                kind: int | None = None) -> ChebTucker:
        """Build from a CP (canonical) tensor given by 1D values at Chebyshev points.

        Parameters
        ----------
        weights : array_like, shape (R,)
        factors_1d : sequence of 3 array_like, shapes (n_k, R)
            Column j holds the values of the j-th 1D factor function at the
            ``n_k`` Chebyshev points of the family ``points`` on ``box[k]``.
        box, points, rtol, kind
            As in :meth:`from_function`.

        Returns
        -------
        ChebTucker
            Approximation of ``sum_j w_j a1_j(x) a2_j(y) a3_j(z)``.

        Notes
        -----
        Reduced HOSVD (RHOSVD) with a relative, scale-invariant truncation: columns
        are normalised and their norms moved into ``lambda_j``; mode k keeps the
        leading left singular vectors ``Vk`` of ``CUk diag(|lambda|)`` up to a tail of
        ``(rtol/100) ||CUk diag(lambda)||_F / sqrt(3)``; the core
        ``sum_j lambda_j (V1^T cu1_j) o (V2^T cu2_j) o (V3^T cu3_j)`` is then truncated
        by HOSVD at ``rtol``. No ``n^3`` array is formed. Cost
        ``O(n R min(n, R) + R r^3)``.

        Examples
        --------
        >>> import numpy as np
        >>> from specnum.bases.chebyshev import points
        >>> x = points(20, kind=1, interval=(-1, 1))
        >>> a = np.stack([np.exp(-x**2), np.cos(x)], axis=1)
        >>> h = ChebTucker.from_cp([1.0, 2.0], [a, a, a], ((-1, 1),) * 3)
        >>> h.ranks
        (2, 2, 2)
        """
        family = check_point_family(points, kind, stacklevel=3)
        return cls(*construct.data_from_cp(weights, factors_1d, box, family, rtol))

    # ----------------------------------------------------------------- evaluation
    def _eval(self, points, grad: bool, extrapolate) -> np.ndarray:
        budget_input(points, "points", copies=2.0 + (4 if grad else 1) / 3.0)
        pts = as_float_array(points, "points", min_ndim=1, last_dim=3)
        batch = pts.shape[:-1]
        flat = np.ascontiguousarray(pts.reshape(-1, 3))
        if not isinstance(extrapolate, (bool, np.bool_)):
            raise TypeError(f"extrapolate must be True or False, got {extrapolate!r}")
        if not extrapolate:
            self._check_inside(flat)
        ncol = 4 if grad else 1
        per_point = sum(f.size for f in self.factors) + self.core.size + 3 * max(self.degrees)
        check_budget(f"points of shape {pts.shape}", memory=flat.shape[0] * (ncol + 3) * FLOAT_BYTES,
                     work=2.0 * flat.shape[0] * per_point * (4 if grad else 1))
        out = np.zeros((flat.shape[0], ncol))
        if self.core.size == 0 or flat.shape[0] == 0:
            return out.reshape(batch + (ncol,))
        lo, hi = box_bounds(self.box)
        scale = 2.0 / (hi - lo)
        w = []
        for k in range(3):
            u = self.factors[k]
            if grad:
                d = chebyshev.differentiate(u, 1, axis=0, interval=self.box[k])
                d = np.vstack([d, np.zeros((u.shape[0] - d.shape[0], u.shape[1]))])
                u = np.hstack([u, d])
            w.append(np.ascontiguousarray(u.T))
        r = self.core.shape
        gm = np.ascontiguousarray(self.core.reshape(r[0] * r[1], r[2]))
        _kernels.tucker_eval(flat, lo, scale, w[0], w[1], w[2], gm, np.array(r, dtype=np.int64),
                             grad, 256, out)
        return out.reshape(batch + (ncol,))

    def _check_inside(self, flat: np.ndarray) -> None:
        if flat.shape[0] == 0:
            return
        lo, hi = box_bounds(self.box)
        slack = INSIDE_RTOL * (hi - lo)
        if np.all(flat.min(axis=0) >= lo - slack) and np.all(flat.max(axis=0) <= hi + slack):
            return
        bad = np.any((flat < lo - slack) | (flat > hi + slack), axis=1)
        raise ValueError(
            f"points must lie inside the box {self.box} (up to {INSIDE_RTOL:g} of its width), got "
            f"{int(bad.sum())} point(s) outside, e.g. {flat[int(np.argmax(bad))].tolist()}; pass "
            f"extrapolate=True to evaluate the polynomial there anyway"
        )

    def __call__(self, points, *, extrapolate: bool = False) -> np.ndarray:
        """Values at points.

        Parameters
        ----------
        points : array_like or dask.array.Array, shape (..., 3)
            Points inside the box. A dask array is evaluated chunk-wise (``map_blocks``)
            and a lazy dask array is returned, for millions of points on a cluster.
        extrapolate : bool
            Allow points outside the box (the polynomial continued; it grows like
            ``T_n(t)`` for ``|t| > 1``, so values far outside are meaningless).

        Returns
        -------
        ndarray (or dask array), shape (...)

        Raises
        ------
        ValueError
            If the last axis is not of length 3, the points are not finite, or a point
            lies outside the box by more than ``1e-12`` of its width and
            ``extrapolate`` is False.

        Notes
        -----
        Compiled kernel: per chunk of 256 points, the Chebyshev polynomials of the
        three coordinates by the three-term recurrence, the factor values
        ``A_k = T(t_k) Uk`` and the core contraction, both as matrix products;
        ``O(M (n1 r1 + n2 r2 + n3 r3 + r1 r2 r3))``.
        """
        if is_dask_array(points):
            return map_points(lambda p: self(p, extrapolate=extrapolate), points, None, np.float64)
        return self._eval(points, False, extrapolate)[..., 0]

    def gradient(self, points, *, extrapolate: bool = False) -> np.ndarray:
        """Gradient at points, shape ``(..., 3)`` for points of shape ``(..., 3)``.

        Uses the coefficient derivative of each factor (``c'_{i-1} = c'_{i+1} + 2 i c_i``,
        scaled by ``2/(b_k - a_k)``) with the same core. Points and ``extrapolate`` as in
        :meth:`__call__`; a dask array of points gives a lazy dask array.
        """
        if is_dask_array(points):
            return map_points(lambda p: self.gradient(p, extrapolate=extrapolate), points, 3, np.float64)
        return self._eval(points, True, extrapolate)[..., 1:]

    def _axis_values(self, coords, k: int, name: str, extrapolate: bool) -> np.ndarray:
        c = as_float_array(coords, name, ndim=1)
        if not isinstance(extrapolate, (bool, np.bool_)):
            raise TypeError(f"extrapolate must be True or False, got {extrapolate!r}")
        a, b = self.box[k]
        slack = INSIDE_RTOL * (b - a)
        if not extrapolate and c.size and (c.min() < a - slack or c.max() > b + slack):
            raise ValueError(f"{name} must lie in the box interval {self.box[k]} (up to {INSIDE_RTOL:g} of its "
                             f"width), got values in [{c.min()!r}, {c.max()!r}]; pass extrapolate=True to "
                             f"evaluate the polynomial there anyway")
        check_budget(f"{name} of length {c.shape[0]}",
                     memory=2.0 * c.shape[0] * self.factors[k].shape[0] * FLOAT_BYTES)
        if self.core.size == 0:
            return np.zeros((c.shape[0], 0))
        return np.ascontiguousarray(chebyshev.evaluate(self.factors[k].T, c, self.box[k]).T)

    def _grid_axes(self, x, y, z, extrapolate: bool) -> list[np.ndarray]:
        return [self._axis_values(c, k, nm, extrapolate) for k, (c, nm) in enumerate(((x, "x"), (y, "y"), (z, "z")))]

    def on_grid(self, x, y, z, *, extrapolate: bool = False) -> np.ndarray:
        """Values on the tensor grid ``x (n_x,) * y (n_y,) * z (n_z,)``: shape ``(n_x, n_y, n_z)``.

        Coordinates must lie in the box intervals unless ``extrapolate`` (as in :meth:`__call__`).
        """
        v = self._grid_axes(x, y, z, extrapolate)
        shape = tuple(a.shape[0] for a in v)
        size = float(np.prod(np.asarray(shape, dtype=np.float64)))
        check_budget(f"x, y, z of lengths {shape}", memory=size * FLOAT_BYTES)
        if self.core.size == 0:
            return np.zeros(shape)
        return tucker_to_full(self.core, v)

    def to_grid_tucker(self, x, y, z, *, extrapolate: bool = False) -> tuple[np.ndarray, list[np.ndarray]]:
        """Orthonormal Tucker tensor of the values on any tensor grid.

        Returns
        -------
        core : ndarray, shape (r1', r2', r3')
        factors : list of 3 ndarrays, shapes (n_x, r1'), (n_y, r2'), (n_z, r3')
            Orthonormal columns; ``tucker_to_full(core, factors) == on_grid(x, y, z)``.

        Notes
        -----
        ``Vk = T(x_grid) Uk = Qk Rk`` (reduced QR) and ``G <- G x_1 R1 x_2 R2 x_3 R3``:
        ``O(N n r + N r^2)`` per axis, no ``N^3`` array.
        """
        v = self._grid_axes(x, y, z, extrapolate)
        if self.core.size == 0:
            return np.zeros((0, 0, 0)), [np.zeros((a.shape[0], 0)) for a in v]
        return algebra.orthonormalise(self.core.copy(), v)

    def coefficients(self) -> np.ndarray:
        """The full Chebyshev coefficient tensor ``C``, shape ``(n1, n2, n3)``."""
        if self.core.size == 0:
            return np.zeros(tuple(f.shape[0] for f in self.factors))
        return algebra.full_coefficients(self.core, self.factors)

    # -------------------------------------------------------------------- algebra
    def _check_other(self, other: object, op: str) -> ChebTucker:
        if not isinstance(other, ChebTucker):
            raise TypeError(f"other must be a ChebTucker ({op}), got {type(other).__name__}")
        if not np.allclose(np.array(self.box), np.array(other.box), rtol=1e-14, atol=0.0):
            raise ValueError(f"other must have the same box ({op} needs equal boxes), got {self.box} and {other.box}")
        return other

    def _wrap(self, data) -> ChebTucker:
        core, factors = data
        return ChebTucker(self.box, core, factors)

    def recompress(self, rtol: float = 1e-8) -> ChebTucker:
        """Re-truncate to relative Frobenius accuracy ``rtol`` (degrees trimmed too).

        Half of the squared budget trims negligible trailing degrees, the other
        half goes to a truncated HOSVD of the core; ``||C - C_new||_F <= rtol ||C||_F``.
        """
        if self.core.size == 0:
            return self
        return self._wrap(construct.recompressed(self.core, self.factors, rtol))

    def add(self, other: ChebTucker, *, rtol: float = _DEFAULT_ALGEBRA_RTOL) -> ChebTucker:
        """``self + other``, recompressed to relative accuracy ``rtol``."""
        other = self._check_other(other, "add")
        return self._wrap(algebra.add(self.core, self.factors, other.core, other.factors, 1.0,
                                      check_rtol(rtol)))

    def subtract(self, other: ChebTucker, *, rtol: float = _DEFAULT_ALGEBRA_RTOL) -> ChebTucker:
        """``self - other``, recompressed to relative accuracy ``rtol``."""
        other = self._check_other(other, "subtract")
        return self._wrap(algebra.add(self.core, self.factors, other.core, other.factors, -1.0,
                                      check_rtol(rtol)))

    def hadamard(self, other: ChebTucker, *, rtol: float = _DEFAULT_ALGEBRA_RTOL) -> ChebTucker:
        """Pointwise product ``self * other`` (degrees add), recompressed to ``rtol``.

        Factor products are exact (``T_i T_j = (T_{i+j} + T_{|i-j|})/2`` realised by
        values at ``n_f + n_g - 1`` points); the core is the Kronecker product.
        """
        other = self._check_other(other, "hadamard")
        rtol = check_rtol(rtol)
        ranks = [a * b for a, b in zip(self.ranks, other.ranks)]
        rows = [a.shape[0] + b.shape[0] - 1 for a, b in zip(self.factors, other.factors)]
        size = float(np.prod(np.asarray(ranks, dtype=np.float64)))
        check_budget(f"hadamard of ranks {self.ranks} and {other.ranks}",
                     memory=(3.0 * size + sum(n * r for n, r in zip(rows, ranks))) * FLOAT_BYTES,
                     work=2.0 * size * float(sum(ranks)) + 2.0 * sum(n * n * r for n, r in zip(rows, ranks)))
        if self.core.size == 0 or other.core.size == 0:
            return ChebTucker(self.box, np.zeros((0, 0, 0)),
                              [np.zeros((a.shape[0] + b.shape[0] - 1, 0)) for a, b in zip(self.factors, other.factors)])
        return self._wrap(algebra.hadamard(self.core, self.factors, other.core, other.factors, rtol))

    def scale(self, alpha: float) -> ChebTucker:
        """``alpha * self`` (exact: the core is scaled)."""
        alpha = as_float(alpha, "alpha")
        return ChebTucker(self.box, alpha * self.core, self.factors)

    def __add__(self, other):
        if not isinstance(other, ChebTucker):
            return NotImplemented
        return self.add(other)

    def __sub__(self, other):
        if not isinstance(other, ChebTucker):
            return NotImplemented
        return self.subtract(other)

    def __neg__(self):
        return self.scale(-1.0)

    def __mul__(self, other):
        if isinstance(other, ChebTucker):
            return self.hadamard(other)
        if isinstance(other, (int, float, np.integer, np.floating)) and not isinstance(other, bool):
            return self.scale(other)
        return NotImplemented

    __rmul__ = __mul__

    def derivative(self, axis: int, m: int = 1) -> ChebTucker:
        """The ``m``-th partial derivative along ``axis`` (0, 1 or 2) as a ChebTucker."""
        axis = as_int(axis, "axis", minimum=0, maximum=2)
        m = as_int(m, "m", minimum=1)
        check_budget(f"m = {m}", work=2.0 * m * self.factors[axis].size)
        if self.core.size == 0:
            return self
        return self._wrap(algebra.derivative(self.box, self.core, self.factors, axis, m))

    def integral(self) -> float:
        """``int_box f dx`` (Clenshaw-Curtis moments of the factors contracted with the core)."""
        return algebra.integral(self.box, self.core, self.factors)

    def inner(self, other: ChebTucker) -> float:
        """L2 inner product ``int_box f g dx`` (no weight), via the Chebyshev mass matrices."""
        other = self._check_other(other, "inner")
        return algebra.inner(self.box, self.core, self.factors, other.core, other.factors)

    def norm(self) -> float:
        """L2 norm ``sqrt(int_box f^2 dx)``."""
        return algebra.norm(self.box, self.core, self.factors)
