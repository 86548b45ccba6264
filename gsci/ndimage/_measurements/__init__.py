"""Labelling and per-label measurements."""
