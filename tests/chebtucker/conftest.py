import sys
from pathlib import Path

import pytest

_REF = str(Path(__file__).resolve().parents[1] / "reference")
if _REF not in sys.path:
    sys.path.insert(0, _REF)


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    """Many small BLAS calls here: threaded BLAS is several times slower on a busy 2-core machine."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield
