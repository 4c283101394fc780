"""The explicit registry of experiments.

Each entry maps an experiment name to the module that implements it. A module
provides ``DEFAULTS`` (a dict of parameters and their default values),
``DESCRIPTION`` (one line), ``run(params) -> dict`` (JSON-serialisable result)
and ``plot(result, outdir) -> list[str]`` (paths of the PNG figures written).
Modules are imported only when an experiment is used.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from specnum._validation import as_choice

__all__ = ["EXPERIMENTS", "DEMO_ORDER", "load_experiment"]

EXPERIMENTS: dict[str, str] = {
    "bases": "specnum.experiments.bases_demo",
    "riesz": "specnum.experiments.riesz_demo",
    "riesz2d": "specnum.experiments.riesz2d_demo",
    "chebtucker": "specnum.experiments.chebtucker_demo",
    "gaunt": "specnum.experiments.gaunt_demo",
}

#: the experiments ``specnum demo`` runs, in report order
DEMO_ORDER: tuple[str, ...] = ("riesz", "riesz2d", "chebtucker", "gaunt", "bases")


def load_experiment(name: str) -> ModuleType:
    """Import and return the module of experiment ``name``.

    Raises
    ------
    ValueError
        If ``name`` is not registered.
    """
    as_choice(name, "experiment", tuple(EXPERIMENTS))
    return importlib.import_module(EXPERIMENTS[name])
