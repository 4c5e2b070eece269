"""One training step per model family.  The loop in ``train.py`` is shared.

Each family says which networks it builds, which of them are trained, and what
one step on a batch does; a step returns its losses as floats.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from . import losses
from .config import TrainConfig
from .nets import Classifier, Discriminator, Encoder, Generator
from .priors import make_prior


@dataclass(frozen=True)
class Family:
    build: Callable[[TrainConfig], dict[str, nn.Module]]
    trained: tuple[str, ...]
    step: Callable[..., dict[str, float]]


def gan_nets(cfg):
    return {"generator": Generator(cfg.latent_dim, cfg.channels),
            "discriminator": Discriminator(cfg.channels)}


def ae_nets(cfg):
    return {"encoder": Encoder(cfg.latent_dim, cfg.channels, cfg.encoder_output),
            "generator": Generator(cfg.latent_dim, cfg.channels)}


def gan_step(nets, opts, x, y, cfg, iteration):
    """Seed 000 eq. 2: D on real vs fake, then (every d_steps_per_g_step batches) G."""
    G, D = nets["generator"], nets["discriminator"]
    z = make_prior(cfg.prior, cfg.latent_dim).sample(len(x)).to(x.device)
    fake = G(z)
    d_loss = losses.discriminator_loss(D(x), D(fake.detach()))
    opts["discriminator"].zero_grad(set_to_none=True)
    d_loss.backward()
    opts["discriminator"].step()
    out = {"d_loss": d_loss.item()}
    if (iteration + 1) % cfg.d_steps_per_g_step == 0:
        g_loss = losses.nonsaturating_generator_loss(D(fake))
        opts["generator"].zero_grad(set_to_none=True)
        g_loss.backward()
        opts["generator"].step()
        out["g_loss"] = g_loss.item()
    return out


def ae_step(nets, opts, x, y, cfg, iteration):
    """Seed 000 eq. 1: E and G together on MSE(x, G(E(x)))."""
    loss = losses.reconstruction_mse(x, nets["generator"](nets["encoder"](x)))
    for name in ("encoder", "generator"):
        opts[name].zero_grad(set_to_none=True)
    loss.backward()
    for name in ("encoder", "generator"):
        opts[name].step()
    return {"mse": loss.item()}


def encoder_for_gan_step(nets, opts, x, y, cfg, iteration):
    """E_NN (seed 000, sec. 3): trained after G, with G frozen, on MSE(x, G(E(x)))."""
    loss = losses.reconstruction_mse(x, nets["generator"](nets["encoder"](x)))
    opts["encoder"].zero_grad(set_to_none=True)
    loss.backward()
    opts["encoder"].step()
    return {"mse": loss.item()}


def hybrid_step(nets, opts, x, y, cfg, iteration):
    """Seed 000's 'AEGAN': alternate a GAN step (eq. 2) and an AE step (eq. 1) on the same G."""
    out = gan_step(nets, opts, x, y, cfg, iteration)
    out.update(ae_step(nets, opts, x, y, cfg, iteration))
    return out


def vae_step(nets, opts, x, y, cfg, iteration):
    """Negative ELBO with the reparameterisation z = mean + sigma * eps."""
    mean, log_var = nets["encoder"](x)
    z = mean + torch.randn_like(mean) * (0.5 * log_var).exp()
    loss = losses.vae_negative_elbo(x, nets["generator"](z), mean, log_var, cfg.pixel_sigma)
    for name in ("encoder", "generator"):
        opts[name].zero_grad(set_to_none=True)
    loss.backward()
    for name in ("encoder", "generator"):
        opts[name].step()
    return {"neg_elbo": loss.item(), "kl": losses.gaussian_kl(mean, log_var).mean().item()}


def classifier_step(nets, opts, x, y, cfg, iteration):
    logits = nets["classifier"](x)
    loss = losses.classification_loss(logits, y)
    opts["classifier"].zero_grad(set_to_none=True)
    loss.backward()
    opts["classifier"].step()
    return {"xent": loss.item(), "accuracy": (logits.argmax(1) == y).float().mean().item()}


FAMILIES = {
    "gan": Family(gan_nets, ("generator", "discriminator"), gan_step),
    "ae": Family(ae_nets, ("encoder", "generator"), ae_step),
    "encoder-for-gan": Family(ae_nets, ("encoder",), encoder_for_gan_step),
    "hybrid": Family(lambda cfg: {**ae_nets(cfg), "discriminator": Discriminator(cfg.channels)},
                     ("encoder", "generator", "discriminator"), hybrid_step),
    "vae": Family(ae_nets, ("encoder", "generator"), vae_step),
    "classifier": Family(lambda cfg: {"classifier": Classifier(cfg.channels)},
                         ("classifier",), classifier_step),
}


def family_of(cfg: TrainConfig) -> Family:
    if cfg.family not in FAMILIES:
        raise ValueError(f"unknown family {cfg.family!r}; expected one of {', '.join(FAMILIES)}")
    return FAMILIES[cfg.family]
