"""SciPy's own test suite run against gsci: see CONFORMANCE.md and ``python -m conformance --help``."""
