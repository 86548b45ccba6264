"""Data sets for examples and demos: LIGO open data of the GWOSC binary-black-hole tutorial.

`ligo_event` loads an event's strain, template and metadata into any array library and device,
downloading the files from GWOSC once if needed; `synthetic_event` gives data of the same form
without any file or network.
"""

from gsci._lib._lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "gsci.datasets._ligo": ("LigoEvent", "ligo_event"),
        "gsci.datasets._synthetic": ("aligo_psd", "synthetic_event"),
    },
)
