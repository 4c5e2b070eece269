"""E_NN (favuzzi2019, sec. 3): an encoder trained after a GAN, whose generator stays frozen
(taken from the zoo, eval mode), on MSE(x, G(E(x)))."""

from __future__ import annotations

from dataclasses import dataclass

from .. import losses
from ..nets import NetSpec
from .base import Family, optimise
from .evaluation import held_out_reconstruction
from .gan import DCGAN_ADAM


@dataclass(frozen=True)
class EncoderForGANSettings:
    frozen_generator: str = ""  # the zoo model whose generator is inverted, e.g. favuzzi2019/dcgan

    def __post_init__(self):
        if not self.frozen_generator:
            raise ValueError("encoder-for-gan: frozen_generator must name a zoo model")


def step(nets, opts, x, y, cfg, iteration):
    loss = losses.reconstruction_mse(x, nets["generator"](nets["encoder"](x)))
    return {"mse": optimise(opts, ["encoder"], loss)}


FAMILY = Family(
    name="encoder-for-gan",
    config=EncoderForGANSettings,
    networks={"encoder": NetSpec("dcgan28"), "generator": NetSpec("dcgan28")},
    trained=("encoder",),
    optimisers={"encoder": DCGAN_ADAM},
    frozen=lambda cfg: {"generator": cfg.objective.frozen_generator},
    step=step,
    evaluate=lambda cfg, nets, load: held_out_reconstruction(cfg, nets),
    measured_with_classifier=False,
)
