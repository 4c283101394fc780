"""Scripted experiments, the ``specnum`` command line and the demo report (layer L3).

Each experiment is a module with ``DEFAULTS``, ``run(params) -> dict`` and
``plot(result, outdir)``, listed in :data:`specnum.experiments.registry.EXPERIMENTS`;
:func:`run_sweep` runs the cases of a sweep resumably (see
:mod:`specnum.experiments.runner`).
"""

from specnum.experiments.params import expand_sweep, parse_assignments
from specnum.experiments.registry import DEMO_ORDER, EXPERIMENTS, load_experiment
from specnum.experiments.runner import CaseResult, SweepInterrupted, run_sweep

__all__ = [
    "EXPERIMENTS",
    "DEMO_ORDER",
    "load_experiment",
    "CaseResult",
    "SweepInterrupted",
    "expand_sweep",
    "parse_assignments",
    "run_sweep",
]
