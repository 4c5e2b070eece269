"""The autoencoder: E and G trained together on MSE(x, G(E(x))) (favuzzi2019 eq. 1)."""
from __future__ import annotations

from .. import losses
from ..nets import NetSpec
from .base import Family, optimise
from .evaluation import reconstruction_and_samples
from .gan import DCGAN_ADAM


def step(nets, opts, x, y, cfg, iteration):
    loss = losses.reconstruction_mse(x, nets["generator"](nets["encoder"](x)))
    return {"mse": optimise(opts, ["encoder", "generator"], loss)}


FAMILY = Family(
    name="ae", networks={"encoder": NetSpec("dcgan28"), "generator": NetSpec("dcgan28")},
    trained=("encoder", "generator"),
    optimisers={"encoder": DCGAN_ADAM, "generator": DCGAN_ADAM},
    step=step, evaluate=reconstruction_and_samples)
