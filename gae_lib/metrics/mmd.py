"""Maximum mean discrepancy (Gretton et al. 2012): how far a set of codes is from samples of
the prior it should match (makhzani2016, Fig. 2), with Gaussian kernels of several widths."""
from __future__ import annotations

import numpy as np
import torch

from ..checks import as_tensor


def mmd_squared(x, y, bandwidths=(0.2, 0.5, 1.0, 2.0, 5.0)) -> float:
    """Unbiased MMD^2 between point sets x (N x d) and y (M x d), summed over Gaussian kernels
    k(a, b) = exp(-|a - b|^2 / (2 h^2)) of the widths h; 0 in expectation when x and y come from
    the same distribution (so small negative values occur), larger the more they differ."""
    x, y = (as_tensor(v, name).double() for v, name in ((x, "x"), (y, "y")))
    if x.dim() != 2 or y.dim() != 2 or x.shape[1] != y.shape[1] or min(len(x), len(y)) < 2:
        raise ValueError(f"x, y: expected two sets of >= 2 points of one dimension, got "
                         f"{tuple(x.shape)} and {tuple(y.shape)}")
    if not (torch.isfinite(x).all() and torch.isfinite(y).all()):
        raise ValueError("x, y: expected finite points")
    try:
        widths = np.atleast_1d(np.asarray(bandwidths, dtype=float))
    except (TypeError, ValueError):
        widths = np.array([])
    if widths.ndim != 1 or widths.size == 0 or not (np.isfinite(widths) & (widths > 0)).all():
        raise ValueError(f"bandwidths: expected finite positive widths (one or several), "
                         f"got {bandwidths!r}")
    bandwidths = widths.tolist()

    def mean_kernel(a, b, same: bool) -> torch.Tensor:
        distance = torch.cdist(a, b)
        # (|a - b| / h)^2 / 2, not |a - b|^2 / (2 h^2): a tiny h must not make h^2 round to 0
        k = sum(torch.exp(-(distance / h).pow(2) / 2) for h in bandwidths)
        if same:   # leave out k(a_i, a_i): the unbiased estimate
            return (k.sum() - k.diagonal().sum()) / (len(a) * (len(a) - 1))
        return k.mean()

    return float(mean_kernel(x, x, True) + mean_kernel(y, y, True) - 2 * mean_kernel(x, y, False))
