"""A synthetic LIGO event for machines without the data: design-sensitivity noise and a chirp.

The noise is Gaussian, coloured in the frequency domain to the analytic Advanced LIGO design PSD
fit of B. S. Sathyaprakash (Sathyaprakash & Schutz, Living Rev. Relativ. 12, 2 (2009), table 1):

    S(f) = 1e-49 [x**-4.14 - 5 x**-2 + 111 (1 - x**2 + x**4 / 2) / (1 + x**2 / 2)] / Hz,  x = f / 215 Hz,

held at its 10 Hz value below 10 Hz, where the fit's seismic wall would diverge. The signal is a
Newtonian-order (quadrupole) inspiral of GW150914's template masses, ending when its frequency
reaches the innermost stable circular orbit of the total mass; merger and ringdown are not modelled.
"""

import math
import types

import numpy as np

from gsci._lib._arrays import is_array, requested_namespace
from gsci._lib._compat import array_namespace
from gsci.datasets._ligo import LigoEvent, read_only_metadata, to_library

__all__ = ["aligo_psd", "synthetic_event"]

FS = 4096.0
DURATION = 32
PEAK_TIME = 16.44  # s after the start, as GW150914's tevent in its file
MASSES = (41.743, 29.237)  # solar masses, those of GW150914's template
F_FLAT_BELOW = 10.0  # Hz
SOLAR_MASS_S = 4.925490947641267e-06  # G M_sun / c**3
MEGAPARSEC_S = 3.0856775814913673e22 / 299792458.0  # 1 Mpc / c


def aligo_psd(f):
    """The analytic Advanced LIGO design noise PSD at frequencies ``f``, the synthetic event's noise model.

    Parameters
    ----------
    f : array_like
        Frequencies in Hz, an array of any supported library or a Python sequence.

    Returns
    -------
    array
        One-sided PSD in 1/Hz, float64, of ``f``'s library on its device (NumPy for a sequence).

    Notes
    -----
    Sathyaprakash's fit, ``1e-49 [x**-4.14 - 5 x**-2 + 111 (1 - x**2 + x**4 / 2) / (1 + x**2 / 2)]``
    with ``x = f / 215 Hz`` (Sathyaprakash & Schutz, Living Rev. Relativ. 12, 2 (2009), table 1),
    held at its 10 Hz value below 10 Hz.

    Examples
    --------
    >>> import numpy as np
    >>> from gsci.datasets import aligo_psd
    >>> asd = np.sqrt(aligo_psd([0.0, 10.0, 215.0]))  # amplitude spectral density, 1/sqrt(Hz)
    >>> [f"{a:.3g}" for a in asd]
    ['1.81e-22', '1.81e-22', '1.82e-24']
    """
    xp = array_namespace(f) if is_array(f) else array_namespace(np.empty(0))
    x = xp.clip(xp.asarray(f, dtype=xp.float64), min=F_FLAT_BELOW) / 215.0
    x2 = x * x
    return 1e-49 * (x**-4.14 - 5.0 / x2 + 111.0 * (1.0 - x2 + 0.5 * x2 * x2) / (1.0 + 0.5 * x2))


def synthetic_event(*, seed=0, snr=20.0, xp=None, device=None):
    """A deterministic mock of GW150914 in the form `ligo_event` returns: coloured noise with a chirp.

    Parameters
    ----------
    seed : int, optional
        Seed of the noise; the same call gives the same data on every machine.
    snr : float, optional
        Optimal signal-to-noise ratio of the injected chirp in each detector.
    xp : array namespace, optional
        The library of the returned arrays, as in `ligo_event`; default NumPy.
    device : device, optional
        The device of the returned arrays.

    Returns
    -------
    LigoEvent
        Named ``"synthetic"``: H1 and L1 strain (131072 float64 samples, 32 s at 4096 Hz) starting at
        GPS 0, each independent noise with PSD `aligo_psd` plus the same chirp (the plus polarization,
        as for a detector with antenna pattern ``F+ = 1``), peaking at ``tevent = 16.44`` s; the
        template ``h_plus``, ``h_cross`` (float32, at 1 Mpc) peaks at 16 s, half its length, as the
        tutorial's does. ``metadata`` has ``tevent``, ``fband`` (43, 300), ``fs``, ``m1``, ``m2``,
        ``f_min``, ``approx``, ``seed``, ``snr`` and the injection's ``distance_mpc``.

    Notes
    -----
    The noise is white Gaussian noise from ``numpy.random.default_rng(seed)``, multiplied in the
    frequency domain by ``sqrt(S(f) fs / 2)`` (so its one-sided PSD is ``S``) and is periodic over
    the 32 s. The chirp is the Newtonian quadrupole inspiral of masses 41.743 and 29.237 solar
    masses, ``h = 4 (G Mc / c**2)**(5/3) (pi f / c)**(2/3) / D`` with phase
    ``-2 (tau / (5 G Mc / c**3))**(5/8)`` at ``tau`` before coalescence, cut where ``f`` reaches the
    innermost stable circular orbit (about 62 Hz); its distance is chosen so its optimal SNR against
    ``S`` is ``snr``. Computed with NumPy on the host, then moved to ``xp`` and ``device``.

    Examples
    --------
    >>> from gsci.datasets import synthetic_event
    >>> event = synthetic_event(seed=0)
    >>> event.strain["H1"].shape, event.fs, event.tevent, event.fband
    ((131072,), 4096.0, 16.44, (43.0, 300.0))
    >>> bool((synthetic_event(seed=0).strain["L1"] == event.strain["L1"]).all())
    True
    """
    n = DURATION * int(FS)
    t = np.arange(n) / FS
    psd = aligo_psd(np.fft.rfftfreq(n, 1 / FS))
    signal = _newtonian_chirp(t, PEAK_TIME)[0]
    distance = _optimal_snr(signal, psd) / snr
    white = np.random.default_rng(seed).standard_normal((2, n))
    noise = np.fft.irfft(np.fft.rfft(white) * np.sqrt(psd * FS / 2), n)
    h1, l1 = noise + signal / distance
    h_plus, h_cross = _newtonian_chirp(t, n / FS / 2)
    xp = requested_namespace(xp)
    metadata = {
        "name": "synthetic",
        "fs": int(FS),
        "tevent": PEAK_TIME,
        "m1": MASSES[0],
        "m2": MASSES[1],
        "approx": "Newtonian inspiral to ISCO",
        "fband": [43.0, 300.0],
        "f_min": F_FLAT_BELOW,
        "seed": seed,
        "snr": snr,
        "distance_mpc": distance,
    }
    return LigoEvent(
        name="synthetic",
        strain=types.MappingProxyType({"H1": to_library(h1, xp, device), "L1": to_library(l1, xp, device)}),
        gps_start=0.0,
        fs=FS,
        h_plus=to_library(h_plus.astype(np.float32), xp, device),
        h_cross=to_library(h_cross.astype(np.float32), xp, device),
        metadata=read_only_metadata(metadata),
    )


def _newtonian_chirp(t, peak_time):
    """(h_plus, h_cross) at 1 Mpc, face on, of the inspiral reaching the ISCO frequency at ``peak_time``."""
    m1, m2 = MASSES
    chirp_mass = (m1 * m2) ** 0.6 / (m1 + m2) ** 0.2 * SOLAR_MASS_S
    f_isco = 1.0 / (6.0**1.5 * math.pi * (m1 + m2) * SOLAR_MASS_S)
    tau_isco = 5.0 / 256.0 * chirp_mass ** (-5 / 3) * (math.pi * f_isco) ** (-8 / 3)
    tau = np.maximum(peak_time + tau_isco - t, tau_isco)  # time to coalescence
    frequency = (5.0 / (256.0 * tau)) ** 0.375 * chirp_mass**-0.625 / math.pi
    phase = -2.0 * (tau / (5.0 * chirp_mass)) ** 0.625
    amplitude = 4.0 * chirp_mass ** (5 / 3) * (math.pi * frequency) ** (2 / 3) / MEGAPARSEC_S
    amplitude = np.where(t <= peak_time, amplitude, 0.0)
    return amplitude * np.cos(phase), amplitude * np.sin(phase)


def _optimal_snr(h, psd):
    """``sqrt(4 sum |H(f)|**2 / S(f) df)`` of the time series ``h`` sampled at ``FS``."""
    spectrum = np.fft.rfft(h) / FS
    df = FS / h.shape[0]
    return math.sqrt(4.0 * df * np.sum(np.abs(spectrum) ** 2 / psd))
