"""Convolution and correlation: FFT, overlap-add and direct."""
