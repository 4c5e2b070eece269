"""The GAN of goodfellow2014 with DCGAN-28 networks (radford2016; favuzzi2019 eq. 2)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import losses
from ..config import Adam
from ..nets import NetSpec
from ..priors import make_prior
from .base import Family, optimise
from .evaluation import samples_only


@dataclass(frozen=True)
class GANSettings:
    d_steps_per_g_step: int = 1   # favuzzi2019's text says 4, its code 1 (see its zoo notes)


def step(nets, opts, x, y, cfg, iteration):
    """D on real vs fake, then (every d_steps_per_g_step batches) G, non-saturating."""
    G, D = nets["generator"], nets["discriminator"]
    z = make_prior(cfg.prior, cfg.latent_dim).sample(len(x)).to(x.device)
    fake = G(z)
    out = {"d_loss": optimise(opts, ["discriminator"],
                              losses.discriminator_loss(D(x), D(fake.detach())))}
    if (iteration + 1) % cfg.objective.d_steps_per_g_step == 0:
        out["g_loss"] = optimise(opts, ["generator"], losses.nonsaturating_generator_loss(D(fake)))
    return out


# Adam(2e-4, beta1 0.5), as radford2016 and favuzzi2019's code (its text says lr 0.002,
# which diverges with this architecture).
DCGAN_ADAM = Adam(2e-4, (0.5, 0.999))

FAMILY = Family(
    name="gan", config=GANSettings,
    networks={"generator": NetSpec("dcgan28"), "discriminator": NetSpec("dcgan28")},
    trained=("generator", "discriminator"),
    optimisers={"generator": DCGAN_ADAM, "discriminator": DCGAN_ADAM},
    step=step, evaluate=samples_only)
