"""Dense products with centrosymmetric matrices and the DST-I matrix at half the cost.

Internal module: nothing here is part of the public API; the pillar's public classes and
functions in :mod:`specnum.riesz` use it.

Fold a vector ``x`` of length ``N = 2h`` or ``2h + 1`` into ``s = x[:h] + x[::-1][:h]`` (with the
middle entry ``x[h]`` appended when ``N`` is odd; ``h_s = N - h`` entries) and
``d = x[:h] - x[::-1][:h]``.

* A centrosymmetric ``A`` (``A[N-1-i, N-1-j] = A[i, j]``, as the dimensionless Riesz matrix
  ``h**alpha A`` of open uniform knots) maps the symmetric and antisymmetric parts of ``x``
  separately: with ``B_1 = A[:h, :h]``, ``B_2[i, j] = A[i, N-1-j]``,
  ``P_s = [[(B_1 + B_2)/2, A[:h, h]], [A[h, :h], A[h, h]]]`` (the last row and column only for
  odd ``N``) and ``P_a = (B_1 - B_2)/2``, ``(A x)[:h] = (P_s s)[:h] + P_a d``,
  ``(A x)[::-1][:h] = (P_s s)[:h] - P_a d`` and ``(A x)[h] = (P_s s)[h]``.
* The orthonormal DST-I ``S_jk = sqrt(2/(N+1)) sin(pi j k/(N+1))`` has
  ``S_{j, N+1-k} = (-1)**(j+1) S_jk`` (1-based): rows ``1, 3, 5, ...`` of ``S x`` are
  ``S[0::2, :h_s] s`` and rows ``2, 4, ...`` are ``S[1::2, :h] d``.

Either way two matrix products of half the size replace one of full size: half the flops.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from specnum._validation import readonly

__all__ = ["FoldedMatrix", "fold_centrosymmetric", "fold_dst"]


@dataclass(frozen=True, eq=False)
class FoldedMatrix:
    """An ``N x N`` matrix stored as its two half-size blocks (see the module notes).

    Attributes
    ----------
    sym : ndarray, shape (h_s, h_s)
        Acts on the folded sums ``s`` (``h_s = N - N // 2``).
    anti : ndarray, shape (h, h)
        Acts on the folded differences ``d`` (``h = N // 2``).
    kind : {"centro", "dst"}
        How the two results are put back together.
    """

    sym: np.ndarray
    anti: np.ndarray
    kind: str

    @property
    def size(self) -> int:
        """``N``."""
        return self.sym.shape[0] + self.anti.shape[0]

    def left(self, x: np.ndarray) -> np.ndarray:
        """``M @ x`` for ``x`` of shape ``(N, k)``."""
        h = self.anti.shape[0]
        rev = x[::-1]
        s = x[: self.sym.shape[0]] + rev[: self.sym.shape[0]]
        if self.sym.shape[0] > h:
            s[h] = x[h]  # the middle entry is its own mirror image
        ys = self.sym @ s
        ya = self.anti @ (x[:h] - rev[:h])
        out = np.empty((self.size,) + x.shape[1:])
        if self.kind == "dst":
            out[0::2] = ys
            out[1::2] = ya
        else:
            out[:h] = ys[:h] + ya
            out[::-1][:h] = ys[:h] - ya
            if ys.shape[0] > h:
                out[h] = ys[h]
        return out

    def right(self, x: np.ndarray) -> np.ndarray:
        """``x @ M.T`` for ``x`` of shape ``(k, N)``."""
        h = self.anti.shape[0]
        hs = self.sym.shape[0]
        rev = x[:, ::-1]
        s = x[:, :hs] + rev[:, :hs]
        if hs > h:
            s[:, h] = x[:, h]
        ys = s @ self.sym.T
        ya = (x[:, :h] - rev[:, :h]) @ self.anti.T
        out = np.empty(x.shape[:1] + (self.size,))
        if self.kind == "dst":
            out[:, 0::2] = ys
            out[:, 1::2] = ya
        else:
            out[:, :h] = ys[:, :h] + ya
            out[:, ::-1][:, :h] = ys[:, :h] - ya
            if hs > h:
                out[:, h] = ys[:, h]
        return out


def fold_centrosymmetric(a: np.ndarray) -> FoldedMatrix:
    """Fold a centrosymmetric ``(N, N)`` matrix (``a[::-1, ::-1] == a``, assumed, not checked)."""
    size = a.shape[0]
    h = size // 2
    hs = size - h
    mirrored = a[:, ::-1]
    sym = np.empty((hs, hs))
    sym[:, :h] = 0.5 * (a[:hs, :h] + mirrored[:hs, :h])
    if hs > h:
        sym[:, h] = a[:hs, h]
        sym[h, :h] = a[h, :h]  # row h of a is symmetric: a[h, j] = a[h, N-1-j]
    anti = 0.5 * (a[:h, :h] - mirrored[:h, :h])
    return FoldedMatrix(readonly(np.ascontiguousarray(sym)), readonly(np.ascontiguousarray(anti)), "centro")


def fold_dst(size: int) -> FoldedMatrix:
    """The orthonormal DST-I matrix of size ``N = size`` in folded form."""
    h = size // 2
    hs = size - h
    j = np.arange(1, size + 1, dtype=np.int64)
    jk = np.outer(j, j[:hs]) % (2 * (size + 1))  # exact reduction of the angle jk pi/(N+1)
    half = np.sqrt(2.0 / (size + 1)) * np.sin(jk * (np.pi / (size + 1)))
    return FoldedMatrix(readonly(np.ascontiguousarray(half[0::2, :hs])),
                        readonly(np.ascontiguousarray(half[1::2, :h])), "dst")
