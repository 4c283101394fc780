"""The explicit registry of experiments.

Each entry maps an experiment name to the module that implements it. A module
provides

- ``DEFAULTS``: a dict of parameters and their default values (the values fix
  the types that ``--set`` accepts: bool, int, float, str or a list of these);
- ``run(params) -> dict``: a JSON-serialisable result;
- ``plot(result, outdir) -> list[str]`` (optional): the paths of the PNG figures written;
- ``DESCRIPTION`` (one line), ``TITLE`` (optional);
- ``HEADLINE`` (optional): a tuple of result keys, the numbers a sweep summary shows
  (default: the int and float entries at the top level of the result).

Modules are imported only when an experiment is used. Besides the registered
names, a dotted module path (``mypackage.my_experiment``) runs any importable
module that follows the same rules.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from specnum.experiments.params import did_you_mean

__all__ = ["EXPERIMENTS", "DEMO_ORDER", "load_experiment"]

EXPERIMENTS: dict[str, str] = {
    "bases": "specnum.experiments.bases_demo",
    "riesz": "specnum.experiments.riesz_demo",
    "riesz_singular": "specnum.experiments.riesz_singular",
    "riesz2d": "specnum.experiments.riesz2d_demo",
    "chebtucker": "specnum.experiments.chebtucker_demo",
    "gaunt": "specnum.experiments.gaunt_demo",
}

#: the experiments ``specnum demo`` runs, in report order
DEMO_ORDER: tuple[str, ...] = ("riesz", "riesz_singular", "riesz2d", "chebtucker", "gaunt", "bases")


def load_experiment(name: str) -> ModuleType:
    """Import and return the module of experiment ``name`` (a registered name or a dotted module path).

    Raises
    ------
    ValueError
        If ``name`` is neither registered nor an importable experiment module
        (the message suggests the closest registered name).
    """
    if not isinstance(name, str):
        raise TypeError(f"experiment must be a str, got {type(name).__name__}")
    if name in EXPERIMENTS:
        return importlib.import_module(EXPERIMENTS[name])
    if "." not in name:
        raise ValueError(f"experiment must be one of {', '.join(repr(n) for n in EXPERIMENTS)}; "
                         f"got {name!r}{did_you_mean(name, EXPERIMENTS)}")
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not name.startswith(exc.name):
            raise
        raise ValueError(f"experiment {name!r} is not registered and no module of that name "
                         f"can be imported ({exc})") from None
    if not isinstance(getattr(module, "DEFAULTS", None), dict) or not callable(getattr(module, "run", None)):
        raise ValueError(f"module {name!r} is not an experiment: it needs a DEFAULTS dict and a run(params) "
                         "function")
    return module
