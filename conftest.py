"""Collection rules for the whole repository (pytest).

``specnum/gaunt/torch.py`` needs PyTorch, an optional dependency: its doctests are collected
only when torch is importable (the test suite must pass without the optional extras).
"""

import importlib.util

collect_ignore = []
if importlib.util.find_spec("torch") is None:
    collect_ignore.append("specnum/gaunt/torch.py")
