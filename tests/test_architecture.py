"""Guards of the layering in ../shared/design.md.

Every module of the package is parsed with ``ast``; each import it makes (at
module level or inside a function) must point down the layer table below.
A second test imports specnum in a fresh interpreter and checks that
matplotlib was not loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "specnum"

# layer of each top-level part of specnum; a module may import parts of lower or equal layer,
# except that the L2 pillars never import each other.
LAYERS = {
    "errors": 0,
    "_validation": 0,
    "_version": 0,
    "_dask": 0,
    "bases": 1,
    "testing": 1,
    "riesz": 2,
    "chebtucker": 2,
    "gaunt": 2,
    "plotting": 3,
    "experiments": 3,
}
PILLARS = {"riesz", "chebtucker", "gaunt"}
KERNEL_ALLOWED = {"numpy", "numba", "math", "__future__", "cmath"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, root: Path = PACKAGE) -> list[tuple[str, int, bool]]:
    """(absolute module name, line, at module level?) of every import in ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if node.module is None or node.level:
                # `from . import x` imports submodules x
                found += [(f"{mod}.{alias.name}" if node.module is None else mod, node.lineno,
                           id(node) in top_level) for alias in node.names]
            else:
                found.append((mod, node.lineno, id(node) in top_level))
    return found


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "specnum" else None


def test_package_has_modules():
    assert len(_modules()) > 5


def _violations(path: Path, root: Path = PACKAGE) -> list[str]:
    me = _part(_module_name(path, root))
    problems = []
    for target, line, at_top in _imports(path, root):
        where = f"{path.relative_to(root.parent)}:{line}"
        if path.name.endswith("_kernels.py"):
            kernel_module = target.startswith("specnum.") and target.endswith("_kernels")
            if not kernel_module and target.split(".")[0] not in KERNEL_ALLOWED:
                problems.append(f"{where}: kernel module imports {target} (only numpy, numba, math, "
                                "kernel modules of its own or a lower layer)")
            if target.split(".")[0] != "specnum":
                continue
        if target.split(".")[0] == "matplotlib" and at_top:
            problems.append(f"{where}: matplotlib imported at module level (import it inside the function)")
        if me is None or me == "__main__" or target.split(".")[0] != "specnum":
            continue  # specnum/__init__ is a lazy facade; third-party imports are fine
        other = _part(target)
        if other is None:
            problems.append(f"{where}: imports the specnum facade; import the submodule instead")
        elif other not in LAYERS:
            problems.append(f"{where}: {other!r} is not in the layer table of this test")
        elif LAYERS[other] > LAYERS[me]:
            problems.append(f"{where}: {me} (L{LAYERS[me]}) imports {target} (L{LAYERS[other]})")
        elif me in PILLARS and other in PILLARS and other != me:
            problems.append(f"{where}: pillar {me} imports pillar {other}")
    return problems


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_point_down(path: Path):
    problems = _violations(path)
    assert not problems, "\n".join(problems)


def test_every_part_is_in_the_layer_table():
    parts = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _modules()}
    parts -= {"__init__", "__main__"}
    assert parts <= set(LAYERS), f"add {sorted(parts - set(LAYERS))} to LAYERS"


def test_detector_sees_violations(tmp_path: Path):
    """The checker must flag each kind of violation (guards the guard)."""
    root = tmp_path / "specnum"
    (root / "bases").mkdir(parents=True)
    (root / "gaunt").mkdir()
    cases = {
        root / "bases" / "up.py": "from ..riesz import assembly\n",
        root / "bases" / "plot.py": "import matplotlib.pyplot as plt\n",
        root / "gaunt" / "side.py": "from specnum.chebtucker import format\n",
        root / "gaunt" / "_kernels.py": "import scipy.special\n",
        root / "gaunt" / "_grid_kernels.py": "from specnum.bases.spheregrid import SphereTransform\n",
        root / "bases" / "_up_kernels.py": "from specnum.gaunt._kernels import folded_mul\n",
        root / "bases" / "_other_kernels.py": "import otherlib._kernels\n",
        root / "errors.py": "from specnum.bases import quadrature\n",
    }
    for path, text in cases.items():
        path.write_text(text)
        assert _violations(path, root), f"no violation found in {path.name}: {text!r}"
    ok = root / "gaunt" / "fine.py"
    ok.write_text("from ..bases import sphharm\nfrom specnum._validation import as_int\n"
                  "def f():\n    import matplotlib\n")
    assert _violations(ok, root) == []
    ok = root / "gaunt" / "_fine_kernels.py"
    ok.write_text("import numpy as np\nfrom specnum.bases._spheregrid_kernels import synthesis_block\n")
    assert _violations(ok, root) == []


def test_import_specnum_does_not_load_matplotlib():
    code = (
        "import sys, specnum, specnum.bases, specnum.testing\n"
        "for name in ('riesz', 'chebtucker', 'gaunt', 'experiments'):\n"
        "    try:\n"
        "        __import__('specnum.' + name)\n"
        "    except ImportError:\n"
        "        pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# Submodules whose whole ``__all__`` is public API (covered by the bad-input tables).
PUBLIC_SUBMODULES = {"specnum.riesz.manufactured", "specnum.gaunt.sh_fourier", "specnum.gaunt.torch"}


@pytest.mark.parametrize("package", ["specnum.riesz", "specnum.chebtucker", "specnum.gaunt"])
def test_pillar_modules_are_public_through_the_package_or_say_internal(package: str):
    """Design rule 10: a pillar's implementation modules are private or documented as internal.

    A non-underscore module that lists names the package does not re-export must say
    "Internal module" in its docstring (or be one of the public submodules above), so that
    a user reading the docs knows which names are the API.
    """
    import importlib

    pkg = importlib.import_module(package)
    exported = set(pkg.__all__)
    folder = Path(pkg.__file__).parent
    offenders = []
    for path in sorted(folder.glob("*.py")):
        name = f"{package}.{path.stem}"
        if path.stem.startswith("_") or path.stem == "torch" or name in PUBLIC_SUBMODULES:
            continue
        tree = ast.parse(path.read_text())
        listed = set()
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
                listed = {elt.value for elt in node.value.elts}
        doc = ast.get_docstring(tree) or ""
        if listed - exported and "Internal module" not in doc and "(internal" not in doc:
            offenders.append((name, sorted(listed - exported)[:4]))
    assert not offenders, offenders
