"""Parzen-window log-likelihood (Breuleux et al. 2011), as reported by the GAN and AAE
papers (makhzani2016, Table 1): a Gaussian kernel on each model sample, sigma chosen on a
validation split, mean log p(x) of test images with its standard error.  Pixels are mapped
to [0, 1] first, the scale those papers report on.  A known-imperfect metric (makhzani2016)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from ..checks import check_images


@dataclass
class ParzenResult:
    mean: float              # mean log-likelihood of the test images, nats
    standard_error: float
    sigma: float             # kernel width chosen on the validation images
    validation: dict         # sigma -> mean validation log-likelihood


def parzen_log_density(points: torch.Tensor, centres: torch.Tensor, sigma,
                       batch: int = 256) -> torch.Tensor:
    """log (1/K) sum_k N(x; c_k, sigma^2 I) for each x: shape (N,) for one sigma, (S, N) for
    a sequence of S sigmas (the distances are computed once for all of them)."""
    sigmas = torch.as_tensor(sigma, dtype=points.dtype).reshape(-1, 1, 1)
    # (sigma^2 must not round to 0: it divides)
    if len(sigmas) == 0 or not (torch.isfinite(sigmas) & (sigmas.pow(2) > 0)).all():
        raise ValueError(f"sigma: expected finite positive kernel widths, got {sigma!r}")
    d = points.shape[1]
    c_sq = centres.pow(2).sum(1)
    out = []
    for part in points.split(batch):
        sq = (part.pow(2).sum(1, keepdim=True) - 2 * part @ centres.T + c_sq).clamp_min(0)
        out.append(torch.logsumexp(-sq / (2 * sigmas ** 2), dim=2))
    const = math.log(len(centres)) + 0.5 * d * torch.log(2 * math.pi * sigmas[:, 0] ** 2)
    density = torch.cat(out, dim=1) - const
    return density if np.ndim(sigma) else density[0]


def parzen_log_likelihood(samples, validation, test, sigmas=None) -> ParzenResult:
    """Fit the window on ``samples``, pick sigma maximising the mean log-likelihood of
    ``validation``, report it on ``test``."""
    flat = [check_images(v, name, size=None).flatten(1).double().add(1).div(2)
            for v, name in ((samples, "samples"), (validation, "validation"), (test, "test"))]
    if len({f.shape[1] for f in flat}) != 1:
        raise ValueError(f"samples, validation and test: expected images of one shape, got "
                         f"{[tuple(f.shape) for f in flat]}")
    centres, val, tst = flat
    sigmas = np.logspace(-1.3, 0, 20) if sigmas is None else np.asarray(sigmas, float)
    if sigmas.ndim != 1 or len(sigmas) == 0 or not (np.isfinite(sigmas) & (sigmas > 0)
                                                    & (sigmas ** 2 > 0)).all():
        raise ValueError(f"sigmas: expected finite positive kernel widths, got {sigmas!r}")
    means = parzen_log_density(val, centres, sigmas.tolist()).mean(1)
    scores = {float(s): m.item() for s, m in zip(sigmas, means)}
    best = max(scores, key=scores.get)
    ll = parzen_log_density(tst, centres, best)
    se = ll.std().item() / math.sqrt(len(ll)) if len(ll) > 1 else float("nan")
    return ParzenResult(ll.mean().item(), se, best, scores)
