"""favuzzi2019's alternating AE/GAN (that paper's "AEGAN"; not lazarou2022's four-network
AEGAN): a GAN step (eq. 2) and an AE step (eq. 1) on the same G, every batch."""

from __future__ import annotations

from ..nets import NetSpec
from . import ae, gan
from .base import Family
from .evaluation import reconstruction_and_samples


def step(nets, opts, x, y, cfg, iteration):
    return {
        **gan.step(nets, opts, x, y, cfg, iteration),
        **ae.step(nets, opts, x, y, cfg, iteration),
    }


FAMILY = Family(
    name="hybrid",
    config=gan.GANSettings,
    networks={
        "encoder": NetSpec("dcgan28"),
        "generator": NetSpec("dcgan28"),
        "discriminator": NetSpec("dcgan28"),
    },
    trained=("encoder", "generator", "discriminator"),
    optimisers={k: gan.DCGAN_ADAM for k in ("encoder", "generator", "discriminator")},
    step=step,
    evaluate=reconstruction_and_samples,
)
