"""Latent priors P_Z: sampling and log-density."""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class UniformCube:
    """U[-1, 1]^dim, favuzzi2019's prior; codes of tanh encoders live in the same cube."""
    dim: int = 100
    kind: str = "uniform-cube"

    def sample(self, n: int, generator: torch.Generator | None = None,
               device: str | torch.device = "cpu") -> torch.Tensor:
        return torch.rand(n, self.dim, generator=generator).mul(2).sub(1).to(device)

    def log_density(self, z: torch.Tensor) -> torch.Tensor:
        # log (1/2)^dim inside the cube, -inf outside.
        inside = (z.abs() <= 1).all(dim=-1)
        value = torch.full(z.shape[:-1], -self.dim * math.log(2.0), dtype=z.dtype, device=z.device)
        return value.masked_fill(~inside, -math.inf)


@dataclass(frozen=True)
class StandardGaussian:
    """N(0, I_dim), the VAE's prior."""
    dim: int = 100
    kind: str = "standard-gaussian"

    def sample(self, n: int, generator: torch.Generator | None = None,
               device: str | torch.device = "cpu") -> torch.Tensor:
        return torch.randn(n, self.dim, generator=generator).to(device)

    def log_density(self, z: torch.Tensor) -> torch.Tensor:
        return -0.5 * (z.pow(2).sum(-1) + self.dim * math.log(2 * math.pi))


PRIORS = {"uniform-cube": UniformCube, "standard-gaussian": StandardGaussian}


def make_prior(kind: str, dim: int):
    if kind not in PRIORS:
        raise ValueError(f"unknown prior {kind!r}; expected one of {', '.join(PRIORS)}")
    return PRIORS[kind](dim)
