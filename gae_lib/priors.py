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


@dataclass(frozen=True)
class Gaussian:
    """N(0, scale^2 I_dim): makhzani2016's Gaussian prior, of a chosen width."""
    dim: int = 2
    scale: float = 1.0
    kind: str = "gaussian"

    def __post_init__(self):
        if not self.scale > 0:
            raise ValueError(f"Gaussian prior: expected a scale > 0, got {self.scale}")

    def sample(self, n: int, generator: torch.Generator | None = None,
               device: str | torch.device = "cpu") -> torch.Tensor:
        return (torch.randn(n, self.dim, generator=generator) * self.scale).to(device)

    def log_density(self, z: torch.Tensor) -> torch.Tensor:
        return StandardGaussian(self.dim).log_density(z / self.scale) - self.dim * math.log(
            self.scale)


@dataclass(frozen=True)
class GaussianMixture:
    """makhzani2016's mixture of ``n_components`` 2-D Gaussians (Fig. 2b): component k sits
    at ``radius`` in the direction 2πk/n, stretched along that direction (standard deviations
    ``radial`` and ``tangential``), so the components read as petals around the origin; one
    per digit class in the supervised variant.  Can be sampled per component."""
    dim: int = 2
    n_components: int = 10
    radius: float = 4.0
    radial: float = 1.0
    tangential: float = 0.25
    kind: str = "gaussian-mixture"

    def __post_init__(self):
        if self.dim != 2:
            raise ValueError(f"GaussianMixture is a 2-D prior; got dim={self.dim}")
        if self.n_components < 1 or not (self.radial > 0 and self.tangential > 0):
            raise ValueError("GaussianMixture: expected n_components >= 1 and positive widths")

    def _frames(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Each component's mean (n, 2) and its rotation (n, 2, 2): columns radial, tangential."""
        angle = torch.arange(self.n_components, dtype=torch.float64) * (
            2 * math.pi / self.n_components)
        c, s = angle.cos(), angle.sin()
        rotation = torch.stack([torch.stack([c, -s], -1), torch.stack([s, c], -1)], -2)
        return self.radius * torch.stack([c, s], -1), rotation

    def sample_component(self, component: torch.Tensor | int, n: int | None = None,
                         generator: torch.Generator | None = None,
                         device: str | torch.device = "cpu") -> torch.Tensor:
        """Codes from the given component(s): an int and ``n``, or a tensor of indices."""
        k = torch.full((n,), component) if isinstance(component, int) else component.long()
        if ((k < 0) | (k >= self.n_components)).any():
            raise ValueError(f"component: expected 0..{self.n_components - 1}")
        mean, rotation = self._frames()
        noise = torch.randn(len(k), 2, generator=generator, dtype=torch.float64)
        noise = noise * torch.tensor([self.radial, self.tangential], dtype=torch.float64)
        z = mean[k] + torch.einsum("nij,nj->ni", rotation[k], noise)
        return z.float().to(device)

    def sample(self, n: int, generator: torch.Generator | None = None,
               device: str | torch.device = "cpu") -> torch.Tensor:
        k = torch.randint(self.n_components, (n,), generator=generator)
        return self.sample_component(k, generator=generator, device=device)

    def component_log_density(self, z: torch.Tensor) -> torch.Tensor:
        """log N_k(z) for every component: (..., n_components)."""
        mean, rotation = (t.to(z.device, z.dtype) for t in self._frames())
        local = torch.einsum("kji,...kj->...ki", rotation, z.unsqueeze(-2) - mean)  # R^T (z - m)
        widths = torch.tensor([self.radial, self.tangential], dtype=z.dtype, device=z.device)
        return (-0.5 * (local / widths).pow(2).sum(-1) - math.log(2 * math.pi)
                - widths.log().sum())

    def log_density(self, z: torch.Tensor) -> torch.Tensor:
        return torch.logsumexp(self.component_log_density(z), -1) - math.log(self.n_components)


@dataclass(frozen=True)
class Categorical:
    """One-hot codes of a uniform categorical over ``dim`` classes: makhzani2016's prior on
    the label part of the code (semi-supervised learning, clustering)."""
    dim: int = 10
    kind: str = "categorical"

    def sample(self, n: int, generator: torch.Generator | None = None,
               device: str | torch.device = "cpu") -> torch.Tensor:
        k = torch.randint(self.dim, (n,), generator=generator)
        return torch.nn.functional.one_hot(k, self.dim).float().to(device)

    def log_density(self, z: torch.Tensor) -> torch.Tensor:
        # A probability mass: log(1/dim) on one-hot vectors, -inf elsewhere.
        one_hot = ((z == 0) | (z == 1)).all(-1) & (z.sum(-1) == 1)
        value = torch.full(z.shape[:-1], -math.log(self.dim), dtype=z.dtype, device=z.device)
        return value.masked_fill(~one_hot, -math.inf)


PRIORS = {"uniform-cube": UniformCube, "standard-gaussian": StandardGaussian,
          "gaussian": Gaussian, "gaussian-mixture": GaussianMixture, "categorical": Categorical}


def make_prior(kind: str, dim: int, **options):
    """The prior named ``kind`` (PRIORS) on ``dim`` dimensions; ``options`` are its fields
    (e.g. ``make_prior("gaussian", 2, scale=5.0)``)."""
    if kind not in PRIORS:
        raise ValueError(f"unknown prior {kind!r}; expected one of {', '.join(PRIORS)}")
    return PRIORS[kind](dim, **options)
