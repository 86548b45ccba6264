"""The ndimage filters: a module per family, each with its engines (Array API code, CUDA kernel)."""
