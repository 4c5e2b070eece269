"""Latent sliders that run in the reader's browser: the kernel-free widget of the website.

The models' generators and the book's classifier are exported to ONNX (gae_lib.export) into
the website's static files; the page carries each model's start codes (encoded test digits
and prior samples) and principal directions; book/_static/gae-live.js decodes with
onnxruntime-web while a slider is dragged.  In JupyterLab, LatentSliders is the live widget;
this one only says where it runs.
"""

from __future__ import annotations

import base64
import json

import numpy as np
import torch

from ..export import CLASSIFIER, DEFAULT_OUT, export_network
from ..priors import make_prior
from ..site import STATIC
from .base import codes_of
from .latent import principal_directions

LIVE = DEFAULT_OUT     # book/_static/live: exported networks, served as _static/live/...
# What shows where gae-live.js does not run: in JupyterLab (whose kernel widget above is the
# live one) and on a page that has not loaded it yet.
NOTE = ("In-browser sliders: on the website, served over http (<code>make serve</code>), the "
        "models run here in your browser. In JupyterLab use the live widget above; the "
        "precomputed figure below works everywhere.")


def _floats(x: torch.Tensor) -> str:
    """float32 values as base64 (exact, and a third of the size of decimal text)."""
    values = x.detach().float().contiguous().numpy().astype("<f4")
    return base64.b64encode(values.tobytes()).decode()


def site_path(path) -> str:
    """A file under book/_static as the website's path from its root (_static/...)."""
    return "_static/" + path.resolve().relative_to(STATIC).as_posix()


class BrowserSliders:
    """``models``: CodeModels with a generator in the zoo (their ``zoo_name``); the start codes
    are the codes of the first ``n_starts`` of ``test_images`` and ``n_starts`` prior samples;
    the sliders move along the ``n_directions`` principal directions of the codes of all
    ``test_images``, in their standard deviations, within ``±range_std``.  ``codes``: each
    model's codes of ``test_images``, if already computed."""

    def __init__(self, models: dict, test_images: torch.Tensor, n_directions: int = 4,
                 n_starts: int = 32, range_std: float = 3.0, seed: int = 0,
                 codes: dict | None = None):
        if not models:
            raise ValueError("models: expected at least one CodeModel")
        if not 1 <= n_starts <= len(test_images):
            raise ValueError(f"n_starts: expected 1..{len(test_images)} (the test images), "
                             f"got {n_starts}")
        self.config = {"classifier": site_path(export_network(CLASSIFIER, "classifier", LIVE)),
                       "n_starts": n_starts, "n_directions": n_directions,
                       "range": range_std, "step": 0.05, "models": []}
        for label, z in codes_of(models, test_images, codes).items():
            m = models[label]
            directions, scales = principal_directions(z, n_directions)
            dim = z.shape[1]
            priors = make_prior(m.prior, dim).sample(
                n_starts, generator=torch.Generator().manual_seed(seed))
            self.config["models"].append({
                "label": label, "checkpoint": m.zoo_name, "latent_dim": dim,
                "generator": site_path(export_network(m.zoo_name, "generator", LIVE)),
                "clip_to_cube": m.clip_to_cube, "prior": m.prior,
                "digit_codes": _floats(z[:n_starts]), "prior_codes": _floats(priors),
                "directions": _floats(directions), "scales": _floats(scales)})

    def _repr_html_(self) -> str:
        config = json.dumps(self.config).replace("</", "<\\/")
        return (f'<div class="gae-live"><script type="application/json" class="gae-live-config">'
                f'{config}</script><p class="gae-live-note">{NOTE}</p></div>')


def decode_base64(text: str, shape) -> np.ndarray:
    """The inverse of the page's encoding (for tests): base64 float32 -> array."""
    return np.frombuffer(base64.b64decode(text), "<f4").reshape(shape)
