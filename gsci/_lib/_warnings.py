"""Warnings that point at the user's code."""

import sys
import warnings


def warn_at_caller(message, category=UserWarning):
    """Warn, attributed to the first frame outside gsci: the code that called the public function.

    The call depth differs by path (NumPy's fast path skips the dispatcher), so no fixed
    ``stacklevel`` fits. The dispatcher's generated wrappers have no ``__name__``: they count as gsci's.
    """
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "gsci").partition(".")[0] == "gsci":
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
