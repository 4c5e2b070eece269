"""Samples of a trained model, and how far a recomputed metric may sit from a recorded one.
The metrics themselves are in ``gae_lib.metrics.samples``; each family records its own
after training (``gae_lib.families``)."""
from __future__ import annotations

import torch

from .batching import batched
from .inference import frozen_copy
from .metrics.samples import (digit_statistics, reconstruction_mse, stacked_mode_coverage,
                              test_accuracy)
from .priors import make_prior

__all__ = ["prior_samples", "digit_statistics", "reconstruction_mse", "stacked_mode_coverage",
           "test_accuracy", "METRIC_TOLERANCE", "metric_close"]


@torch.no_grad()
def prior_samples(generator, prior_kind: str, n: int, seed: int = 0) -> torch.Tensor:
    prior = make_prior(prior_kind, generator.latent_dim)
    z = prior.sample(n, generator=torch.Generator().manual_seed(seed))
    return batched(frozen_copy(generator), z)   # the same function, ~2x faster (gae_lib.inference)


# How far a recomputed metric may sit from the recorded one: float results differ slightly
# with memory layout and thread count; counts may flip a few.  Relative for the MSE.
METRIC_TOLERANCE = {"test_accuracy": 5e-4, "mean_max_probability": 1e-3, "class_shares": 2e-3,
                    "test_reconstruction_mse": 1e-3, "modes_covered": 5, "kl_to_uniform": 0.02,
                    "samples": 0, "test_codes_mmd2": 1e-3,
                    # makhzani2016's: the same digits and images, so only round-off flips
                    "test_error": 5e-4, "test_error_many_to_one": 1e-3, "clusters_used": 0,
                    "label_control": 5e-3}


def metric_close(recorded, recomputed, key: str) -> bool:
    tolerance = METRIC_TOLERANCE[key]
    if key == "test_reconstruction_mse":
        tolerance *= recorded
    if isinstance(recorded, list):
        return len(recorded) == len(recomputed) and all(
            abs(a - b) <= tolerance for a, b in zip(recorded, recomputed))
    return abs(recorded - recomputed) <= tolerance
