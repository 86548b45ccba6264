"""Smoothing and rank filters: Savitzky-Golay, median, order and Wiener filters."""
