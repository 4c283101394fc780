"""Parameters of a sweep: parsing ``--set`` assignments against an experiment's defaults.

The syntax of one assignment is ``KEY=VALUE[,VALUE...]``. Commas at the top
level separate the values of a sweep; square brackets group one list value::

    --set runge=4,9            two cases: runge = 4.0 and runge = 9.0
    --set alphas=[1.5,1.8]     one case whose alphas is the list [1.5, 1.8]
    --set alphas=[1.5,1.8],[1.2]   two cases: alphas = [1.5, 1.8] and alphas = [1.2]
    --set alphas=1.5,1.8       two cases: alphas = [1.5] and alphas = [1.8]

Every value is converted to the type of the parameter's default (bool, int,
float, str, or a list of one of these) and checked before any case starts.
"""

from __future__ import annotations

import difflib
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["parse_value", "parse_assignments", "expand_sweep", "swept_keys", "did_you_mean"]

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``"; did you mean 'x'?"`` suffix naming the closest of ``choices``, or ``""``.

    Examples
    --------
    >>> did_you_mean("rieszz", ["riesz", "gaunt"])
    "; did you mean 'riesz'?"
    >>> did_you_mean("zzz", ["riesz", "gaunt"])
    ''
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _kind(default: Any) -> type | None:
    """The scalar type of a default value (None when the default gives none)."""
    for kind in (bool, int, float, str):
        if isinstance(default, kind):
            return kind
    return None


def _element_kind(default: Sequence) -> type | None:
    """The element type of a list default: the widest of its elements' types (int < float)."""
    kinds = {_kind(v) for v in default}
    if not kinds or None in kinds:
        return None
    if kinds == {bool}:
        return bool
    if kinds <= {int, float}:
        return float if float in kinds else int
    return str if kinds == {str} else None


def _parse_scalar(text: str, kind: type | None, name: str) -> Any:
    text = text.strip()
    if kind is None:  # no type to follow: the most specific reading
        for guess in (int, float):
            try:
                return _parse_scalar(text, guess, name)
            except ValueError:
                pass
        return text
    try:
        if kind is bool:
            low = text.lower()
            if low in _TRUE or low in _FALSE:
                return low in _TRUE
            raise ValueError
        if kind is int:
            return int(text)
        if kind is float:
            value = float(text)
            if not np.isfinite(value):
                raise ValueError
            return value
    except ValueError:
        expect = "true/false" if kind is bool else ("a finite float" if kind is float else kind.__name__)
        raise ValueError(f"parameter {name!r} expects {expect}, got {text!r}") from None
    return text


def parse_value(text: str, default: Any, name: str) -> Any:
    """Convert one value ``text`` to the type of ``default``.

    A list default takes ``[a,b,...]`` (or one bare element, read as a list of one);
    its elements take the type of the default's elements.

    Raises
    ------
    ValueError
        Naming the parameter when the text does not parse.

    Examples
    --------
    >>> parse_value("3", 2, "n"), parse_value("yes", False, "quick")
    (3, True)
    >>> parse_value("[1.5, 2]", [1.2, 1.8], "alphas")
    [1.5, 2.0]
    """
    text = text.strip()
    bracketed = text.startswith("[") or text.endswith("]")
    if isinstance(default, (list, tuple)):
        kind = _element_kind(default)
        if not bracketed:
            return [_parse_scalar(text, kind, name)]
        if not (text.startswith("[") and text.endswith("]")):
            raise ValueError(f"parameter {name!r}: unbalanced brackets in {text!r}")
        inner = text[1:-1].strip()
        if "[" in inner or "]" in inner:
            raise ValueError(f"parameter {name!r}: nested lists are not supported, got {text!r}")
        if not inner:
            return []
        parts = inner.split(",")
        if any(not p.strip() for p in parts):
            raise ValueError(f"parameter {name!r} has an empty element in {text!r}")
        return [_parse_scalar(p, kind, name) for p in parts]
    if bracketed and not isinstance(default, str):
        raise ValueError(f"parameter {name!r} takes one value, not a list; got {text!r}")
    return _parse_scalar(text, _kind(default), name)


def _split_top_level(text: str, name: str) -> list[str]:
    """Split at the commas outside square brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                raise ValueError(f"parameter {name!r}: unbalanced brackets in {text!r}")
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        raise ValueError(f"parameter {name!r}: unbalanced brackets in {text!r}")
    parts.append(text[start:])
    return parts


def parse_assignments(assignments: Iterable[str], defaults: Mapping[str, Any]) -> dict[str, list]:
    """Parse ``key=value[,value...]`` strings against ``defaults``.

    Parameters
    ----------
    assignments : iterable of str
        Each ``"key=v1,v2,..."``; several values make a sweep over that key, ``[a,b]``
        is one list value (see the module docstring). A key given twice keeps the last.
    defaults : mapping
        The experiment's parameters and default values (which fix the types).

    Returns
    -------
    dict
        Every parameter of ``defaults`` mapped to the list of its values (repeated
        values dropped, order kept).

    Raises
    ------
    ValueError
        For a malformed assignment, an unknown parameter (with the closest known
        name) or a value of the wrong type, before any work.

    Examples
    --------
    >>> parse_assignments(["n=16,32", "alpha=1.5"], {"n": 8, "alpha": 1.2, "quick": False})
    {'n': [16, 32], 'alpha': [1.5], 'quick': [False]}
    >>> parse_assignments(["ps=[2,3],[4]"], {"ps": [2, 3, 4, 5]})
    {'ps': [[2, 3], [4]]}
    """
    values = {key: [value] for key, value in defaults.items()}
    for item in assignments:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set expects key=value, got {item!r}")
        if key not in defaults:
            raise ValueError(f"unknown parameter {key!r}{did_you_mean(key, defaults)} "
                             f"(known: {', '.join(sorted(defaults))})")
        parts = _split_top_level(text, key)
        if any(not p.strip() for p in parts):
            raise ValueError(f"parameter {key!r} has an empty value in {item!r}")
        parsed, seen = [], set()
        for part in parts:
            value = parse_value(part, defaults[key], key)
            tag = json.dumps(value)
            if tag not in seen:
                seen.add(tag)
                parsed.append(value)
        values[key] = parsed
    return values


def expand_sweep(values: Mapping[str, Sequence]) -> list[dict]:
    """The Cartesian product of parameter value lists, as a list of parameter dicts.

    Examples
    --------
    >>> expand_sweep({"p": [2, 3], "n": [8]})
    [{'p': 2, 'n': 8}, {'p': 3, 'n': 8}]
    """
    keys = list(values)
    return [dict(zip(keys, combo)) for combo in itertools.product(*(values[k] for k in keys))]


def swept_keys(cases: Sequence[Mapping[str, Any]]) -> list[str]:
    """The parameters that take more than one value across ``cases``, in the order of the first case.

    Examples
    --------
    >>> swept_keys([{"a": 1, "b": [2]}, {"a": 1, "b": [3]}])
    ['b']
    """
    if not cases:
        return []
    first = cases[0]
    return [k for k in first
            if len({json.dumps(c.get(k), sort_keys=True, default=str) for c in cases}) > 1]
