"""Numba CUDA kernels and their typed launch functions.

Importing this package imports no numba; a kernel module imports it when a
kernel is first launched. With ``GSCI_KERNEL_SIM=1`` the kernels run in
Numba's CUDA simulator (on NumPy arrays), which must be switched on before
numba is imported: this package does that.
"""

import os

if os.environ.get("GSCI_KERNEL_SIM") == "1":
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")
