"""watershed_ift: SciPy's image foresting transform, a priority-queue flood, on the host.

The flood takes pixels in order of their value from a queue shared by the
whole image: a serial loop with no vectorized or per-line form, so every
library runs SciPy's C code (declared). Other libraries than NumPy copy to
the host and back; Dask runs it on one block, lazily.
"""

import numpy as np

from gsci._lib._arrays import as_array, from_host, is_array, library_of, to_host
from gsci._lib._compat import device, is_dask_namespace, is_writeable_array
from gsci._lib._dispatch import gsci_function


def _scipy_watershed(input, markers, structure, output):
    import scipy.ndimage

    return scipy.ndimage.watershed_ift(input, markers, structure=structure, output=output)


def _host_output(output):
    """SciPy's ``output``: a dtype stays; an array becomes its dtype (written back after)."""
    if not is_array(output):
        return output
    return np.dtype(str(output.dtype).rpartition(".")[2])


@gsci_function(
    "ndimage",
    arrays=("input", "markers", "output"),
    host_operators=("structure",),
    scipy_for={"numpy": "SciPy's C priority-queue flood; gsci's would be the same serial loop"},
)
def watershed_ift(input, markers, structure=None, output=None, *, xp):
    """Apply watershed from markers using image foresting transform algorithm.

    Parameters
    ----------
    input : array_like
        Input, uint8 or uint16 (as SciPy).
    markers : array_like
        Markers: positive values start basins, negative ones the background;
        0 is unlabelled. Signed integers.
    structure : array, optional
        The connectivity; by default the cross-shaped one (connectivity 1).
        A NumPy array or sequence whatever `input`'s library.
    output : array or dtype, optional
        The array or dtype of the output; by default markers' dtype.

    Returns
    -------
    watershed_ift : array
        The labels, in `input`'s library and on its device.

    Notes
    -----
    SciPy's C code on the host, whatever the library: other libraries than
    NumPy make a host round trip (`gsci.HostTransferWarning` for GPU arrays;
    not traceable by ``jax.jit``), Dask runs it on one block, lazily. Errors
    of a Dask call surface when it is computed.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.ndimage import watershed_ift
    >>> image = np.array([[0, 9, 0, 0], [0, 9, 0, 0], [0, 9, 0, 0]], dtype=np.uint8)
    >>> markers = np.array([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2]], dtype=np.int8)
    >>> watershed_ift(image, markers)
    array([[1, 2, 2, 2],
           [2, 2, 2, 2],
           [2, 2, 2, 2]], dtype=int8)
    """
    input, markers = as_array(input, xp), as_array(markers, xp, like=input)
    dtype = _host_output(output)
    if is_dask_namespace(xp):
        import dask.array as da

        result_dtype = markers.dtype if dtype is None else dtype
        result = da.map_blocks(
            lambda i, m: _scipy_watershed(i, m, structure, dtype),
            input.rechunk(-1),
            markers.rechunk(-1),
            dtype=result_dtype,
        ).rechunk(input.chunks)
    else:
        where = "gsci.ndimage.watershed_ift"
        host_input, host_markers = (to_host(a, library_of(a), where) for a in (input, markers))
        result = from_host(_scipy_watershed(host_input, host_markers, structure, dtype), xp, device(input))
    if is_array(output) and is_writeable_array(output):
        output[...] = result
        return output
    return result
