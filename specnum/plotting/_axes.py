"""The one helper the plotting modules share (matplotlib imported inside the function)."""

__all__ = ["axes_or_new"]


def axes_or_new(ax=None):
    """Return ``ax``, or the axes of a new figure when ``ax`` is None."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots()
    return ax
