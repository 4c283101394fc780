"""Scripted experiments, the ``specnum`` command line and the demo report (layer L3).

Each experiment is a module with ``run(params) -> dict`` and ``plot(result, outdir)``,
listed in :data:`specnum.experiments.registry.EXPERIMENTS`.
"""

from specnum.experiments.registry import DEMO_ORDER, EXPERIMENTS, load_experiment
from specnum.experiments.runner import CaseResult, expand_sweep, parse_assignments, run_sweep

__all__ = [
    "EXPERIMENTS",
    "DEMO_ORDER",
    "load_experiment",
    "CaseResult",
    "expand_sweep",
    "parse_assignments",
    "run_sweep",
]
