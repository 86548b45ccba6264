"""gsci's plumbing: compat shim, namespaces and devices, dispatch, backends."""
