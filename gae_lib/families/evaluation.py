"""What families record after training: shared by their ``evaluate`` functions."""

from __future__ import annotations

from .. import data
from ..metrics.samples import (codes_to_prior_mmd, digit_statistics, reconstruction_mse,
                               stacked_mode_coverage)
from ..priors import make_prior
from ..quality import prior_samples
from .base import CLASSIFIER


def held_out_reconstruction(cfg, nets) -> dict:
    """MSE(x, G(E(x))) on test images (10,000 MNIST digits; 5,000 of other sets)."""
    x, _ = data.tensors(cfg.dataset, "test", n=10_000 if cfg.dataset == "mnist" else 5_000)
    return {"test_reconstruction_mse": reconstruction_mse(nets["encoder"], nets["generator"], x)}


CODE_MATCH_IMAGES = 2000


def code_match(cfg, nets) -> dict:
    """MMD² of the codes of the first CODE_MATCH_IMAGES test images to as many prior samples:
    a check that needs only the encoder (some models ship nothing else)."""
    x, _ = data.tensors(cfg.dataset, "test", n=CODE_MATCH_IMAGES)
    prior = make_prior(cfg.prior, cfg.latent_dim)
    return {"test_codes_mmd2": codes_to_prior_mmd(nets["encoder"], prior, x)}


def sample_quality(cfg, nets, load) -> dict:
    """Prior samples judged by the book's classifier: Stacked-MNIST modes in 26,000 samples,
    otherwise confidence and class shares of 10,000.  Without the classifier the reason is
    recorded, not hidden."""
    try:
        classifier = load(CLASSIFIER)["classifier"]
    except Exception as err:
        return {"classifier_unavailable": str(err)[:200]}
    if cfg.dataset == "stacked-mnist":
        return stacked_mode_coverage(
            prior_samples(nets["generator"], cfg.prior, 26_000), classifier
        )
    return digit_statistics(prior_samples(nets["generator"], cfg.prior, 10_000), classifier)


def samples_only(cfg, nets, load) -> dict:
    return sample_quality(cfg, nets, load)


def reconstruction_and_samples(cfg, nets, load) -> dict:
    """What an autoencoder's networks allow: all three after training; the codes' match
    alone when only the encoder is shipped (re-measured from the zoo)."""
    if "generator" not in nets:
        return code_match(cfg, nets)
    return {**held_out_reconstruction(cfg, nets), **sample_quality(cfg, nets, load),
            **code_match(cfg, nets)}
