"""Spline interpolation: `scipy.ndimage`'s spline filters and geometric transforms."""
