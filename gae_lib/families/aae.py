"""The adversarial autoencoder (makhzani2016, sec. 2): per batch a reconstruction phase
(E and G on MSE(x, G(E(x)))), then a regularisation phase in two steps: the latent
discriminator learns prior samples from codes, then E learns to fool it."""

from __future__ import annotations

from dataclasses import dataclass

from .. import losses
from ..config import Adam
from ..nets import NetSpec
from ..priors import make_prior
from .base import Family, optimise
from .evaluation import reconstruction_and_samples


@dataclass(frozen=True)
class AAESettings:
    adversarial_weight: float = 1.0  # weight of E's fooling loss against the reconstruction


def step(nets, opts, x, y, cfg, iteration):
    E, G, D = nets["encoder"], nets["generator"], nets["latent_discriminator"]
    out = {"mse": optimise(opts, ["encoder", "generator"], losses.reconstruction_mse(x, G(E(x))))}
    prior = make_prior(cfg.prior, cfg.latent_dim).sample(len(x)).to(x.device)
    out["d_loss"] = optimise(
        opts, ["latent_discriminator"], losses.discriminator_loss(D(prior), D(E(x).detach()))
    )
    fool = cfg.objective.adversarial_weight * losses.nonsaturating_generator_loss(D(E(x)))
    out["e_adv_loss"] = optimise(opts, ["encoder"], fool)
    return out


AAE_ADAM = Adam(2e-4, (0.5, 0.999))

FAMILY = Family(
    name="aae",
    config=AAESettings,
    networks={
        "encoder": NetSpec("mlp", widths=(1000, 1000), activation="relu", output="linear"),
        "generator": NetSpec("mlp", widths=(1000, 1000), activation="relu"),
        "latent_discriminator": NetSpec("latent-mlp", widths=(1000, 1000), activation="relu"),
    },
    trained=("encoder", "generator", "latent_discriminator"),
    optimisers={k: AAE_ADAM for k in ("encoder", "generator", "latent_discriminator")},
    step=step,
    evaluate=reconstruction_and_samples,
)
