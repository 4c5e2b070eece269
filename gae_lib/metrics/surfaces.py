"""Functions over a 2-D plane in latent space: the classifier's decision borders
(favuzzi2019, Figs. 13-14) and the inversion loss surface (latentspace2020, eq. 1)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..checks import check_codes, check_images, check_positive_int
from ..batching import batched


def latent_plane(origin, u, v, extent: float = 1.0, resolution: int = 41):
    """Grid points origin + a u + b v for a, b in [-extent, extent]: (a, b, z) with z of
    shape (resolution^2, D), row-major over b (rows) then a (columns)."""
    origin, u, v = (
        check_codes(t.reshape(1, -1), n)[0].float()
        for t, n in ((origin, "origin"), (u, "u"), (v, "v"))
    )
    if not (origin.shape == u.shape == v.shape):
        raise ValueError(
            f"origin, u, v: expected vectors of one length, got {len(origin)}, {len(u)}, {len(v)}"
        )
    if not extent > 0:
        raise ValueError(f"extent: expected a positive number, got {extent!r}")
    resolution = check_positive_int(resolution, "resolution")
    a = torch.linspace(-extent, extent, resolution)
    bb, aa = torch.meshgrid(a, a, indexing="ij")
    z = origin + aa.reshape(-1, 1) * u + bb.reshape(-1, 1) * v
    return a, a.clone(), z


def random_plane(dim: int, seed: int = 0):
    """Two random orthonormal directions in R^dim (QR of a Gaussian matrix)."""
    g = torch.Generator().manual_seed(seed)
    q, _ = torch.linalg.qr(torch.randn(check_positive_int(dim, "dim"), 2, generator=g))
    return q[:, 0].contiguous(), q[:, 1].contiguous()


def plane_through(z1, z2, z3):
    """origin z1 and directions z2 - z1, z3 - z1: the three codes sit at (0,0), (1,0), (0,1)."""
    z1, z2, z3 = (check_codes(t.reshape(1, -1), "anchor")[0] for t in (z1, z2, z3))
    return z1, z2 - z1, z3 - z1


@dataclass
class DecisionMap:
    a: torch.Tensor  # (R,) coordinates along u
    b: torch.Tensor  # (R,) coordinates along v
    labels: torch.Tensor  # (R, R) predicted digit, rows over b
    confidence: torch.Tensor  # (R, R) max class probability
    images: torch.Tensor  # (R*R, C, H, W) decoded grid


@torch.no_grad()
def decision_border_map(
    generator,
    classifier,
    origin,
    u,
    v,
    extent: float = 1.0,
    resolution: int = 41,
    clip_to_cube: bool = False,
) -> DecisionMap:
    """favuzzi2019 Figs. 13-14: each grid point of the plane is decoded by G and labelled by
    the classifier.  ``clip_to_cube`` keeps uniform-prior codes inside [-1, 1]^d."""
    a, b, z = latent_plane(origin, u, v, extent, resolution)
    if z.shape[1] != generator.latent_dim:
        raise ValueError(
            f"origin: expected {generator.latent_dim} latent dimensions, got {z.shape[1]}"
        )
    if clip_to_cube:
        z = z.clamp(-1, 1)
    device = next(generator.parameters()).device
    images = batched(lambda part: generator(part.to(device)).cpu(), z, batch=64)
    on = next(classifier.parameters()).device
    probs = batched(lambda part: classifier(part.to(on)).softmax(1).cpu(), images)
    r = len(a)
    return DecisionMap(
        a, b, probs.argmax(1).reshape(r, r), probs.max(1).values.reshape(r, r), images
    )


def loss_surface(
    generator, x, z0, alpha, beta, extent: float = 1.0, resolution: int = 21
) -> np.ndarray:
    """latentspace2020 eq. 1: f(a, b) = l(z0 + a alpha + b beta) with l(z) = MSE(x, G(z)) for one
    image x; returns a (resolution, resolution) array, rows over b."""
    x = check_images(
        x if x.dim() == 4 else x.unsqueeze(0), "x", channels=getattr(generator, "channels", None)
    )
    if len(x) != 1:
        raise ValueError(f"x: expected one image, got a batch of {len(x)}")
    _, _, z = latent_plane(z0, alpha, beta, extent, resolution)
    device = next(generator.parameters()).device
    with torch.no_grad():
        x = x.to(device)
        loss = batched(
            lambda part: (generator(part.to(device)) - x).pow(2).flatten(1).mean(1).cpu(), z
        )
    return loss.reshape(resolution, resolution).numpy()
