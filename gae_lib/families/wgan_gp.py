"""WGAN-GP (gulrajani2017, Algorithm 1): a Wasserstein critic with a gradient penalty,
n_critic critic steps per generator step; the critic has no BatchNorm (the penalty is per
sample)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import losses
from ..config import Adam
from ..nets import NetSpec
from ..priors import make_prior
from .base import Family, optimise
from .evaluation import samples_only


@dataclass(frozen=True)
class WGANGPSettings:
    n_critic: int = 5             # critic steps per generator step (gulrajani2017: 5)
    penalty_weight: float = 10.0  # lambda (gulrajani2017: 10)


def step(nets, opts, x, y, cfg, iteration):
    G, D = nets["generator"], nets["discriminator"]
    z = make_prior(cfg.prior, cfg.latent_dim).sample(len(x)).to(x.device)
    fake = G(z)
    penalty = losses.gradient_penalty(D, x, fake.detach())
    critic_loss = losses.wasserstein_critic_loss(D(x), D(fake.detach()))
    out = {"critic_loss": optimise(opts, ["discriminator"],
                                   critic_loss + cfg.objective.penalty_weight * penalty),
           "penalty": penalty.item()}
    if (iteration + 1) % cfg.objective.n_critic == 0:
        out["g_loss"] = optimise(opts, ["generator"], losses.wasserstein_generator_loss(D(fake)))
    return out


# gulrajani2017's MNIST code: Adam(1e-4, betas (0.5, 0.9)).
WGAN_GP_ADAM = Adam(1e-4, (0.5, 0.9))

FAMILY = Family(
    name="wgan-gp", config=WGANGPSettings,
    networks={"generator": NetSpec("dcgan28"), "discriminator": NetSpec("wgan-gp-critic")},
    trained=("generator", "discriminator"),
    optimisers={"generator": WGAN_GP_ADAM, "discriminator": WGAN_GP_ADAM},
    step=step, evaluate=samples_only)
