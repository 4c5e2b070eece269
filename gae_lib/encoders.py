"""Encodings side by side: each model is a generator G with a way to find a code.

    >>> models = encoders.line_up({"AE": ("neural", "favuzzi2019/ae"),
    ...                            "E_GD": ("gradient-descent", "favuzzi2019/dcgan")},
    ...                           invert=dict(steps=100))
    >>> z = models["E_GD"].encode(x)          # Algorithm 1 on the DCGAN's G
    >>> x_hat = models["AE"].reconstruct(x)   # G(E(x))

A chapter passes its line-up as data: a label, how codes are found (the checkpoint's
encoder, inversion of its generator, or none) and the checkpoint.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from . import zoo
from .checks import check_images
from .inference import frozen_copy
from .invert import inverter_for
from .priors import make_prior
from .batching import batched


@dataclass
class CodeModel:
    label: str
    generator: nn.Module
    encode_fn: Callable[[torch.Tensor], torch.Tensor] = field(repr=False)
    prior: str                 # the prior G was trained with (uniform-cube or standard-gaussian)
    zoo_name: str              # the checkpoint G comes from

    def __post_init__(self):
        # A frozen inference copy of G (gae_lib.inference: transposed convolutions, folded
        # BatchNorm, channels_last on a CPU) decodes ~2.3x faster than a plain channels_last
        # copy of G, which was ~4x faster than G as it is (measured on 2 cores; `make bench`).
        self.decoder = frozen_copy(self.generator)

    @property
    def device(self) -> torch.device:
        return next(self.generator.parameters()).device

    @torch.no_grad()
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Codes (N, D) on the CPU, whatever device the model runs on."""
        x = check_images(x, "x", channels=self.generator.channels)
        return self.encode_fn(x.to(self.device)).cpu()

    @torch.no_grad()
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """G(z) on the CPU."""
        return batched(lambda part: self.decoder(part.to(self.device)).cpu(), z, batch=64)

    def encode_sets(self, sets: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Codes of several image sets from one call of the encoder: for Algorithm 1 one
        inversion (one pass of G over the starts, full chunks) instead of one per set."""
        codes = self.encode(torch.cat(list(sets.values())))
        return dict(zip(sets, codes.split([len(x) for x in sets.values()])))

    def reconstruct(self, x: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(x))

    def sample(self, n: int, seed: int = 0) -> torch.Tensor:
        z = make_prior(self.prior, self.generator.latent_dim).sample(
            n, generator=torch.Generator().manual_seed(seed))
        return self.decode(z)

    @property
    def clip_to_cube(self) -> bool:
        return self.prior == "uniform-cube"


def neural(label: str, model: nn.ModuleDict, zoo_name: str) -> CodeModel:
    encoder = model["encoder"]
    return CodeModel(label, model["generator"], lambda x: batched(encoder.encode, x),
                     model.config.prior, zoo_name)


def gradient_descent(label: str, generator: nn.Module, zoo_name: str,
                     prior: str = "uniform-cube", **invert_kwargs) -> CodeModel:
    """Inversion as an encoder, the inverter chosen by G's prior (``invert.inverter_for``:
    favuzzi2019's Algorithm 1 for the cube, latentspace2020's projected Adam for a
    Gaussian); ``invert_kwargs`` go to the inverter."""
    inverter = inverter_for(prior)

    def encode(x):
        with torch.enable_grad():
            return inverter(generator, x, **invert_kwargs).z
    return CodeModel(label, generator, encode, prior, zoo_name)


def generator_only(label: str, model: nn.ModuleDict, zoo_name: str) -> CodeModel:
    """A GAN without an encoder (for sampling only)."""
    def no_encoder(x):
        raise ValueError(f"{label} has no encoder; expected a model with one")
    return CodeModel(label, model["generator"], no_encoder, model.config.prior, zoo_name)


ENCODINGS = ("neural", "gradient-descent", "generator-only")


def line_up(spec: dict[str, tuple[str, str]], *, invert: dict | None = None, root=None,
            device: str = "cpu") -> dict[str, CodeModel]:
    """The models a chapter compares, from the shipped (hash-checked) checkpoints.

    ``spec`` maps a label to (encoding, zoo name): ``neural`` (the checkpoint's encoder),
    ``gradient-descent`` (its generator inverted; ``invert`` holds the inverter's keyword
    arguments, e.g. steps, n_starts, seed) or ``generator-only`` (sampling only), e.g.
    ``{"AE": ("neural", "favuzzi2019/ae"), "E_GD": ("gradient-descent", "favuzzi2019/dcgan")}``.
    Each checkpoint is read once, however many labels use it."""
    loaded = {}

    def load(name):
        if name not in loaded:
            loaded[name] = zoo.load(name, root, device)
        return loaded[name]

    models = {}
    for label, entry in spec.items():
        if not (isinstance(entry, tuple) and len(entry) == 2 and entry[0] in ENCODINGS):
            raise ValueError(f"{label}: expected (encoding, zoo name) with encoding one of "
                             f"{ENCODINGS}, got {entry!r}")
        encoding, name = entry
        if encoding == "neural":
            models[label] = neural(label, load(name), name)
        elif encoding == "gradient-descent":
            models[label] = gradient_descent(label, load(name)["generator"], name,
                                             load(name).config.prior, **(invert or {}))
        else:
            models[label] = generator_only(label, load(name), name)
    return models
