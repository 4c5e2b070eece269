"""The variational autoencoder (kingma2014): negative ELBO with z = mean + sigma * eps."""
from __future__ import annotations

from dataclasses import dataclass

import torch

from .. import losses
from ..nets import NetSpec
from ..priors import make_prior
from .base import Family, optimise
from .evaluation import reconstruction_and_samples
from .gan import DCGAN_ADAM

LIKELIHOODS = ("gaussian", "bernoulli")


@dataclass(frozen=True)
class VAESettings:
    likelihood: str = "gaussian"   # gaussian (fixed pixel_sigma) | bernoulli (pixels in [0, 1])
    pixel_sigma: float = 0.3       # the Gaussian decoder's std, in [-1, 1] units

    def __post_init__(self):
        if self.likelihood not in LIKELIHOODS:
            raise ValueError(f"likelihood: expected one of {LIKELIHOODS}, got {self.likelihood!r}")


def step(nets, opts, x, y, cfg, iteration):
    mean, log_var = nets["encoder"](x)
    z = mean + torch.randn_like(mean) * (0.5 * log_var).exp()
    x_hat = nets["generator"](z)
    kl = kl_to_prior(z, mean, log_var, cfg)
    if cfg.objective.likelihood == "bernoulli":
        loss = losses.vae_negative_elbo_bernoulli(x, x_hat, mean, log_var, kl)
    else:
        loss = losses.vae_negative_elbo(x, x_hat, mean, log_var, cfg.objective.pixel_sigma, kl)
    return {"neg_elbo": optimise(opts, ["encoder", "generator"], loss), "kl": kl.mean().item()}


def kl_to_prior(z, mean, log_var, cfg):
    """The closed-form KL for the standard Gaussian prior; a one-sample Monte Carlo estimate
    at the drawn code z for any other prior (a mixture has no closed form)."""
    if cfg.prior == "standard-gaussian":
        return losses.gaussian_kl(mean, log_var)
    return losses.monte_carlo_kl(z, mean, log_var, make_prior(cfg.prior, cfg.latent_dim))


FAMILY = Family(
    name="vae", config=VAESettings,
    networks={"encoder": NetSpec("dcgan28", output="gaussian"), "generator": NetSpec("dcgan28")},
    trained=("encoder", "generator"),
    optimisers={"encoder": DCGAN_ADAM, "generator": DCGAN_ADAM},
    step=step, evaluate=reconstruction_and_samples)
