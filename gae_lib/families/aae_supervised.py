"""The supervised AAE (makhzani2016, sec. 4, Figs. 6-7): the decoder is given the one-hot
label beside the code, so the code need not carry the digit's class and learns its style.
Per batch: reconstruction of x from [onehot(y), E(x)] (E and G), then the regularisation
phase of the plain AAE on the style code (the code discriminator, then E fools it)."""

from __future__ import annotations

import torch
from torch.nn import functional as F

from .. import data, losses
from ..priors import make_prior
from .aae import FAMILY as AAE
from .aae import AAESettings
from .base import CLASSIFIER, Family, optimise

CLASSES = 10


def decode(generator, labels: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """G([onehot(label), z]): the digit ``labels`` written in the style z."""
    return generator(torch.cat([F.one_hot(labels, CLASSES).to(z.dtype), z], dim=1))


def step(nets, opts, x, y, cfg, iteration):
    E, G, D = nets["encoder"], nets["generator"], nets["latent_discriminator"]
    out = {"mse": optimise(opts, ["encoder", "generator"],
                           losses.reconstruction_mse(x, decode(G, y, E(x))))}
    prior = make_prior(cfg.prior, cfg.latent_dim).sample(len(x)).to(x.device)
    out["d_loss"] = optimise(
        opts, ["latent_discriminator"], losses.discriminator_loss(D(prior), D(E(x).detach())))
    fool = cfg.objective.adversarial_weight * losses.nonsaturating_generator_loss(D(E(x)))
    out["e_adv_loss"] = optimise(opts, ["encoder"], fool)
    return out


@torch.no_grad()
def label_control(generator, classifier, latent_dim: int, n: int = 1000, seed: int = 0) -> float:
    """Share of decoded [label, style ~ N(0, I)] that the classifier reads as the label."""
    generator.eval()
    classifier.eval()
    z = torch.randn(n, latent_dim, generator=torch.Generator().manual_seed(seed))
    labels = torch.arange(n) % CLASSES
    return float((classifier(decode(generator, labels, z)).argmax(1) == labels).float().mean())


@torch.no_grad()
def evaluate(cfg, nets, load):
    x, y = data.tensors(cfg.dataset, "test")
    E, G = nets["encoder"].eval(), nets["generator"].eval()
    x_hat = torch.cat([decode(G, y[i:i + 1000], E(x[i:i + 1000]))
                       for i in range(0, len(x), 1000)])
    return {"test_reconstruction_mse": round((x_hat - x).pow(2).mean().item(), 4),
            "label_control": round(label_control(G, load(CLASSIFIER)["classifier"],
                                                 cfg.latent_dim), 4)}


FAMILY = Family(
    name="aae-supervised",
    config=AAESettings,
    networks=AAE.networks,   # the plain AAE's networks; G's input widens by the label
    trained=AAE.trained,
    optimisers=AAE.optimisers,
    step=step,
    evaluate=evaluate,
    code_widths=lambda cfg: {"generator": CLASSES + cfg.latent_dim},
)
