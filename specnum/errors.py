"""Exception and warning classes of specnum (layer L0: imports nothing from specnum)."""

__all__ = ["SpecnumError", "ConvergenceError", "SpecnumWarning"]


class SpecnumError(Exception):
    """Base class of the errors specnum raises on its own account."""


class ConvergenceError(SpecnumError, RuntimeError):
    """An iteration (GMRES, HOOI, adaptive degree selection) failed to converge."""


class SpecnumWarning(UserWarning):
    """A result was computed but may not meet the requested accuracy."""
