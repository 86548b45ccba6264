"""Resampling: polyphase (upfirdn, resample_poly, decimate) and Fourier (resample)."""
