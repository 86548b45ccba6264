"""The tutorial's figures, drawn with matplotlib from an `Analysis` on the host (`Analysis.on_host`).

Each function returns a `matplotlib.figure.Figure`, made without pyplot so that no display is needed.
"""

import numpy as np
from matplotlib.figure import Figure

from gsci.demo._pipeline import DETECTORS

__all__ = [
    "plot_asd",
    "plot_snr",
    "plot_spectrogram",
    "plot_template_overlay",
    "plot_whitened",
    "save_figures",
]

COLORS = {"H1": "tab:red", "L1": "tab:green"}
L1_DELAY = 0.007  # s: the tutorial shifts L1 by 7 ms and flips its sign to lay it over H1


def _seconds_from_event(result, event):
    n = result.whitened_bandpassed.shape[-1]
    return event.gps_start + np.arange(n) / event.fs - event.tevent


def plot_asd(result, event):
    """Amplitude spectral density of each detector, 20 Hz to 2 kHz."""
    figure = Figure(figsize=(8, 5), layout="constrained")
    axes = figure.add_subplot()
    for detector, psd in zip(DETECTORS, result.psd, strict=True):
        axes.loglog(result.freqs, np.sqrt(psd), color=COLORS[detector], label=detector)
    axes.set(xlim=(20, 2000), ylim=(1e-24, 1e-19), xlabel="frequency (Hz)", ylabel="ASD (strain / √Hz)")
    axes.set_title(f"Amplitude spectral density near {event.name}")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    return figure


def plot_whitened(result, event):
    """Whitened, band-passed strain around the event; L1 shifted by 7 ms and inverted, as in the tutorial."""
    seconds = _seconds_from_event(result, event)
    h1, l1 = result.whitened_bandpassed
    figure = Figure(figsize=(8, 5), layout="constrained")
    axes = figure.add_subplot()
    axes.plot(seconds, h1, color=COLORS["H1"], label="H1")
    axes.plot(
        seconds, -np.roll(l1, round(L1_DELAY * event.fs)), color=COLORS["L1"], label="L1, -7 ms, inverted"
    )
    low, high = event.fband
    axes.set(xlim=(-0.1, 0.05), ylim=(-4, 4), xlabel=f"time (s) since {event.tevent}")
    axes.set_ylabel("whitened strain (noise std. dev.)")
    axes.set_title(f"{event.name}: whitened, {low:g}-{high:g} Hz band-passed")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="upper left")
    return figure


def plot_spectrogram(result, event):
    """Spectrogram of each detector's whitened strain within 0.5 s of the event."""
    figure = Figure(figsize=(8, 7), layout="constrained")
    for row, detector in enumerate(DETECTORS):
        axes = figure.add_subplot(2, 1, row + 1)
        image = axes.pcolormesh(
            result.spectrogram_times, result.spectrogram_freqs, result.spectrogram[row], shading="auto"
        )
        figure.colorbar(image, ax=axes, label="power")
        axes.set(
            xlim=(-0.5, 0.5), ylim=(0, 500), ylabel="frequency (Hz)", title=f"{detector} whitened strain"
        )
    axes.set_xlabel(f"time (s) since {event.tevent}")
    return figure


def plot_snr(result, event):
    """Matched-filter SNR of each detector over the 32 s and around its peak."""
    seconds = _seconds_from_event(result, event)
    figure = Figure(figsize=(10, 6), layout="constrained")
    for row, detector in enumerate(DETECTORS):
        peak = seconds[int(result.matched.peak_index[row])]
        for column, window in enumerate((None, (-0.15, 0.05))):
            axes = figure.add_subplot(2, 2, 2 * row + column + 1)
            axes.plot(
                seconds - peak, result.matched.snr[row], color=COLORS[detector], label=f"{detector} SNR"
            )
            if window:
                axes.set_xlim(*window)
            axes.set(xlabel=f"time (s) since the {detector} peak", ylabel="SNR")
            axes.grid(True, alpha=0.3)
            axes.legend(loc="upper left")
    figure.suptitle(f"{event.name}: matched-filter SNR")
    return figure


def plot_template_overlay(result, event):
    """Whitened, band-passed strain with the template at the SNR peak laid over it, and the residual."""
    seconds = _seconds_from_event(result, event)
    figure = Figure(figsize=(10, 6), layout="constrained")
    for row, detector in enumerate(DETECTORS):
        data, template = result.whitened_bandpassed[row], result.template_match[row]
        for column, (curve, label) in enumerate(((data, "whitened data"), (data - template, "residual"))):
            axes = figure.add_subplot(2, 2, 2 * row + column + 1)
            axes.plot(seconds, curve, color=COLORS[detector], label=f"{detector} {label}")
            if column == 0:
                axes.plot(seconds, template, color="black", label="template")
            axes.set(xlim=(-0.15, 0.05), ylim=(-3, 3), xlabel=f"time (s) since {event.tevent}")
            axes.set_ylabel("noise std. dev.")
            axes.grid(True, alpha=0.3)
            axes.legend(loc="upper left")
    figure.suptitle(f"{event.name}: template at the SNR peak over the whitened data")
    return figure


def save_figures(result, event, folder):
    """Draw every figure into ``folder`` (created if needed) as PNG; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    drawings = {
        "asd": plot_asd,
        "whitened_bandpassed": plot_whitened,
        "spectrogram": plot_spectrogram,
        "snr": plot_snr,
        "template_overlay": plot_template_overlay,
    }
    paths = []
    for name, draw in drawings.items():
        path = folder / f"{event.name}_{name}.png"
        draw(result, event).savefig(path, dpi=100)
        paths.append(path)
    return paths
