"""How an interpolation maps each output point to a point of the input.

The engines (`_interp_xp`, `_interp_cuda`) evaluate the spline at the input
point of every output point; a mapping says where that is, as SciPy's C code
computes it (the same float64 operations in the same order):

- `Coordinates`: given for every output point (``map_coordinates``);
- `Affine`: ``input[i] = offset[i] + sum_j matrix[i][j] * out[j]``, the sum
  taken over ``j`` in order after the offset (``affine_transform``, ``rotate``);
- `ZoomShift`: per axis, ``c = k + shift``, then ``c *= zoom``, or with
  ``grid_mode`` ``c = (c + 0.5) * zoom - 0.5`` (``zoom``, ``shift``, and
  ``affine_transform`` with a 1-D matrix).
"""

import dataclasses

# the interpolation boundary modes as the engines take them ('grid-mirror' is 'reflect'),
# in the order of SciPy's integer codes 0-6
MODES = ("nearest", "wrap", "reflect", "mirror", "constant", "grid-wrap", "grid-constant")


@dataclasses.dataclass(frozen=True)
class Coordinates:
    """``coordinates``: a float64 array of the data's library, shape ``(ndim, *output_shape)``."""

    coordinates: object


@dataclasses.dataclass(frozen=True)
class Affine:
    """``matrix``: ndim tuples of ndim floats; ``offset``: ndim floats (host values)."""

    matrix: tuple
    offset: tuple


@dataclasses.dataclass(frozen=True)
class ZoomShift:
    """``zoom``, ``shift``: ndim floats each, or None (absent); ``grid_mode``: bool."""

    zoom: tuple | None
    shift: tuple | None
    grid_mode: bool = False
