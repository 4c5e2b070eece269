"""Seed 000's encodings side by side: each model is a generator G with a way to find a code.

    >>> models = encoders.seed000_models(invert_steps=100)
    >>> z = models["E_GD"].encode(x)          # Algorithm 1 on the DCGAN's G
    >>> x_hat = models["AE"].reconstruct(x)   # G(E(x))

``AE``: the convolutional autoencoder; ``E_NN``: the DCGAN's G with a neural encoder
trained after it; ``E_GD``: the same G inverted by Algorithm 1; ``hybrid``: the
alternating AE/GAN ("AEGAN" in seed 000) with its own encoder, ``hybrid E_GD`` the
hybrid's G inverted by Algorithm 1; ``VAE``: the variational autoencoder seed 000
leaves for future work (codes are posterior means).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import torch
from torch import nn

from . import zoo
from .checks import check_images
from .inference import frozen_copy
from .invert import algorithm1
from .priors import make_prior
from .quality import batched


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


def gradient_descent(label: str, generator: nn.Module, zoo_name: str, **invert_kwargs) -> CodeModel:
    """Algorithm 1 as an encoder; ``invert_kwargs`` go to ``invert.algorithm1``."""
    def encode(x):
        with torch.enable_grad():
            return algorithm1(generator, x, **invert_kwargs).z
    return CodeModel(label, generator, encode, "uniform-cube", zoo_name)


def generator_only(label: str, model: nn.ModuleDict, zoo_name: str) -> CodeModel:
    """A GAN without an encoder (for sampling only)."""
    def no_encoder(x):
        raise ValueError(f"{label} has no encoder; expected a model with one")
    return CodeModel(label, model["generator"], no_encoder, model.config.prior, zoo_name)


SEED000_LABELS = ("AE", "E_NN", "E_GD", "hybrid", "hybrid E_GD", "VAE")


def seed000_models(invert_steps: int = 100, n_starts: int = 1000, seed: int = 0,
                   labels=SEED000_LABELS, root=None, device: str = "cpu") -> dict[str, CodeModel]:
    """The encodings the chapter compares, from the shipped (hash-checked) checkpoints."""
    unknown = set(labels) - set(SEED000_LABELS)
    if unknown:
        raise ValueError(f"labels: expected some of {SEED000_LABELS}, got {sorted(unknown)}")
    loaded = {}

    def load(name):  # each checkpoint read (and hash-checked) once, and only if a label needs it
        if name not in loaded:
            loaded[name] = zoo.load(name, root, device)
        return loaded[name]

    gd = dict(steps=invert_steps, n_starts=n_starts, seed=seed)
    made = {
        "AE": lambda: neural("AE", load("ae"), "ae"),
        "E_NN": lambda: neural("E_NN", load("enn"), "dcgan"),
        "E_GD": lambda: gradient_descent("E_GD", load("enn")["generator"], "dcgan", **gd),
        "hybrid": lambda: neural("hybrid", load("hybrid"), "hybrid"),
        "hybrid E_GD": lambda: gradient_descent("hybrid E_GD", load("hybrid")["generator"], "hybrid", **gd),
        "VAE": lambda: neural("VAE", load("vae"), "vae"),
    }
    return {label: made[label]() for label in labels}
