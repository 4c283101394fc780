"""The shared argument checks of specnum._validation: as_rtol, as_triple, readonly and the size budget."""

from __future__ import annotations

import math

import numpy as np
import pytest

import specnum
from specnum._validation import (
    DEFAULT_BUDGET,
    as_rtol,
    as_triple,
    check_budget,
    get_size_budget,
    readonly,
    size_budget,
)


@pytest.mark.parametrize("bad", [0.0, 1.0, -1e-3, 2.0, math.nan, math.inf])
def test_as_rtol_refuses_outside_open_unit_interval(bad):
    with pytest.raises(ValueError, match="rtol"):
        as_rtol(bad)


def test_as_rtol_names_argument_and_type():
    assert as_rtol(1e-10) == 1e-10
    with pytest.raises(TypeError, match="tol must be a real number"):
        as_rtol("1e-3", "tol")


def test_as_triple_forms_and_errors():
    assert as_triple(4, "n", minimum=2) == (4, 4, 4)
    assert as_triple((2, 3, np.int64(4)), "n", minimum=2) == (2, 3, 4)
    with pytest.raises(ValueError, match=r"n\[1\] must be an integer >= 2"):
        as_triple((2, 1, 4), "n", minimum=2)
    with pytest.raises(ValueError, match="n must have 3 entries"):
        as_triple((2, 3), "n")
    with pytest.raises(TypeError, match="n must be an int or a sequence of 3 ints"):
        as_triple("abc", "n")
    with pytest.raises(TypeError, match="n must be an int or a sequence of 3 ints"):
        as_triple(2.5, "n")
    with pytest.raises(TypeError, match=r"n\[0\] must be an integer"):
        as_triple((True, 2, 2), "n")


def test_readonly_in_place_and_copy():
    a = np.arange(4.0)
    b = readonly(a)
    assert b is a and not a.flags.writeable
    caller = np.arange(4.0)
    frozen = readonly(caller, copy=True)
    assert caller.flags.writeable and not frozen.flags.writeable
    caller[0] = 99.0
    assert frozen[0] == 0.0


def test_budget_default_and_refusal_message():
    assert get_size_budget() == DEFAULT_BUDGET
    check_budget("n = 10", memory=80, work=10)  # well inside
    with pytest.raises(ValueError,
                       match=r"n = 1000000000 needs about 7.45 GiB of memory, above the size budget of 4 GiB"):
        check_budget("n = 1000000000", memory=8 * 10**9)
    with pytest.raises(ValueError, match=r"L = 200 needs about 1e\+15 operations"):
        check_budget("L = 200", work=1e15)
    with pytest.raises(ValueError, match="size budget"):
        check_budget("n = 2**200", memory=2**200 * 8)  # a huge Python int is compared, not converted to an array


def test_size_budget_context_raises_and_restores():
    with specnum.size_budget(memory=2**40, work=math.inf) as b:
        assert get_size_budget() is b
        check_budget("n", memory=2**39, work=1e30)
        with size_budget(memory=1024):  # nested: work stays lifted
            assert get_size_budget().work == math.inf
            with pytest.raises(ValueError):
                check_budget("n", memory=2048)
        assert get_size_budget() is b
    assert get_size_budget() == DEFAULT_BUDGET


@pytest.mark.parametrize("bad", [0, -1.0, math.nan])
def test_size_budget_bad_values(bad):
    with pytest.raises(ValueError, match="memory must be > 0"):
        with size_budget(memory=bad):
            pass
    with pytest.raises(TypeError, match="work must be a real number"):
        with size_budget(work="1e12"):
            pass


def test_budget_refuses_estimates_beyond_the_float_range():
    """Sizes computed as exact Python ints (e.g. n**3 for n = 10**150) are refused, not an OverflowError."""
    with pytest.raises(ValueError, match="n = 10\\*\\*150 needs about more than any machine holds"):
        check_budget("n = 10**150", memory=8 * (10**150) ** 3)
    with pytest.raises(ValueError, match="n = 10\\*\\*150 needs about inf operations"):
        check_budget("n = 10**150", work=(10**150) ** 3)
