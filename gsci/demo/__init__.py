"""The LIGO GW150914 tutorial with gsci: ``python -m gsci.demo`` and the notebook's building blocks.

`analyze` runs the GWOSC "LOSC Event tutorial" (PSDs, whitening, band-pass, spectrogram, matched
filter) on an event in any array library, with `gsci.signal` or, on NumPy, `scipy.signal` as the
reference; the ``plot_*`` functions draw its figures with matplotlib. ``python -m gsci.demo`` runs it
on every library installed, checks each against the reference and saves the figures.
"""

from gsci._lib._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "gsci.demo._pipeline": (
            "DETECTORS",
            "Analysis",
            "MatchedFilter",
            "aligned_template",
            "analyze",
            "bandpass",
            "host_array",
            "interpolate_uniform",
            "matched_filter",
            "noise_psd",
            "whiten",
            "whitened_spectrogram",
        ),
        "gsci.demo._figures": (
            "plot_asd",
            "plot_snr",
            "plot_spectrogram",
            "plot_template_overlay",
            "plot_whitened",
            "save_figures",
        ),
    },
)
