"""Numbers of a model's samples and reconstructions: classifier accuracy and confidence,
Stacked-MNIST modes, reconstruction MSE, codes against the prior (recorded in each
checkpoint's JSON)."""
from __future__ import annotations

import math

import torch

from ..batching import batched
from ..inference import frozen_copy


@torch.no_grad()
def test_accuracy(classifier, x: torch.Tensor, y: torch.Tensor) -> float:
    return (batched(classifier, x).argmax(1) == y).float().mean().item()


@torch.no_grad()
def reconstruction_mse(encoder, generator, x: torch.Tensor) -> float:
    """favuzzi2019 eq. 1 on held-out images: MSE(x, G(E(x))), codes = posterior means for a VAE.
    G decodes through its inference copy (the same function up to round-off, ~3x faster)."""
    decode = frozen_copy(generator)
    x_hat = batched(lambda b: decode(encoder.encode(b)), x)
    return (x_hat - x).pow(2).mean().item()


@torch.no_grad()
def codes_to_prior_mmd(encoder, prior, x: torch.Tensor, seed: int = 0) -> float:
    """MMD² (gretton2012) between the codes of images ``x`` (posterior means for a VAE) and
    as many samples of ``prior``: how well the codes fill the prior (makhzani2016 Fig. 2)."""
    from .mmd import mmd_squared
    codes = batched(encoder.encode, x)
    return mmd_squared(codes, prior.sample(len(x), generator=torch.Generator().manual_seed(seed)))


@torch.no_grad()
def digit_statistics(images: torch.Tensor, classifier) -> dict:
    """Mean max class probability (confidence that a sample is *some* digit) and class shares."""
    probs = batched(lambda b: classifier(b).softmax(1), images)
    shares = torch.bincount(probs.argmax(1), minlength=10).float() / len(images)
    return {"mean_max_probability": probs.max(1).values.mean().item(),
            "class_shares": [round(s, 4) for s in shares.tolist()]}


@torch.no_grad()
def stacked_mode_coverage(images: torch.Tensor, classifier, with_counts: bool = False) -> dict:
    """Stacked-MNIST modes (srivastava2017): classify each channel; mode = the three digits.
    KL(model || uniform over 1000 modes) = log 1000 - H(model's mode distribution)."""
    digits = [batched(classifier, images[:, c:c + 1]).argmax(1) for c in range(3)]
    modes = digits[0] * 100 + digits[1] * 10 + digits[2]
    counts = torch.bincount(modes, minlength=1000)
    p = counts.double() / len(modes)
    entropy = -(p[p > 0] * p[p > 0].log()).sum().item()
    result = {"modes_covered": int((p > 0).sum()), "samples": len(images),
              "kl_to_uniform": math.log(1000) - entropy}
    if with_counts:
        result["counts"] = counts
        result["sorted_counts"] = counts.sort(descending=True).values
    return result
