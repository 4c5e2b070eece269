"""lazarou2022's AEGAN (seed 001, eqs. 2-7): four networks -- generator G, encoder E, image
discriminator D_x, latent discriminator D_z -- trained on four adversarial losses and two
reconstruction losses, so that the model both generates and encodes.

The same step trains the paper's two baselines on the same networks and settings (its
premise), by the networks a configuration has: the GAN (G, D_x: eq. 2 alone, family
``aegan-gan``) and the AAE (G, E, D_z: eq. 4 and the image half of eq. 6, ``aegan-aae``).
Settings follow the author's Keras code (the paper gives none): L1 image reconstruction
weighted 10, squared-error latent reconstruction weighted 5, discriminator targets 0.95 / 0.05,
Adam 2e-4 for G and E and 5e-4 for the discriminators (beta1 0.5), gradient norms clipped at
1, LayerNorm in place of BatchNorm.  The code size and batch are the configuration's: the zoo
uses the paper's stated 32-D N(0, I) code and minibatch of 16 (the author's code: 16-D, 32).

Eqs. 4-5 of the paper swap the sampling distributions (a typo): the codes D_z is shown as
real are prior samples z ~ p(z); the encoded ones are E(x) with x ~ p_data.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch.nn import functional as F

from .. import losses
from ..config import Adam
from ..nets import NetSpec
from ..priors import make_prior
from .base import Family, optimise
from .evaluation import reconstruction_and_samples


@dataclass(frozen=True)
class AEGANSettings:
    image_reconstruction_weight: float = 10.0   # lambda_rx of eq. 6 (L1)
    latent_reconstruction_weight: float = 5.0   # lambda_rz of eq. 6 (squared error)
    real_target: float = 0.95                   # the discriminators' targets (the author's
    fake_target: float = 0.05                   # code; one-sided smoothing would use 1 / 0)
    gradient_clip: float = 1.0                  # max gradient norm per network; 0 = none

    def __post_init__(self):
        if not 0 <= self.fake_target < self.real_target <= 1:
            raise ValueError("AEGANSettings: expected 0 <= fake_target < real_target <= 1, got "
                             f"{self.fake_target} and {self.real_target}")
        if min(self.image_reconstruction_weight, self.latent_reconstruction_weight,
               self.gradient_clip) < 0:
            raise ValueError("AEGANSettings: weights and gradient_clip must be >= 0")


def scored(logits: torch.Tensor, target: float) -> torch.Tensor:
    """Binary cross-entropy of D's logits against a constant target (0.95 for real)."""
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, target))


def step(nets, opts, x, y, cfg, iteration):
    s = cfg.objective
    G, E = nets["generator"], nets.get("encoder")
    D_x, D_z = nets.get("discriminator"), nets.get("latent_discriminator")
    z = make_prior(cfg.prior, cfg.latent_dim).sample(len(x)).to(x.device)
    x_hat = G(z) if D_x is not None else None       # generated images
    z_hat = E(x) if E is not None else None         # encoded images
    x_tilde = G(z_hat) if E is not None else None   # autoencoded images
    z_tilde = E(x_hat) if E is not None and D_x is not None else None   # autoencoded codes
    # Fakes each discriminator sees: eqs. 2 and 3 for D_x, eqs. 4 and 5 for D_z.
    image_fakes = [f for f in (x_hat, x_tilde) if f is not None] if D_x is not None else []
    code_fakes = [f for f in (z_hat, z_tilde) if f is not None] if D_z is not None else []
    out = {}
    for name, role, D, real, fakes in (("d_x_loss", "discriminator", D_x, x, image_fakes),
                                       ("d_z_loss", "latent_discriminator", D_z, z, code_fakes)):
        if D is not None:   # eqs. 2-5 from D's side: each fake against the same real batch
            loss = len(fakes) * scored(D(real), s.real_target) + sum(
                scored(D(f.detach()), s.fake_target) for f in fakes)
            out[name] = optimise(opts, [role], loss, s.gradient_clip)
    # G and E minimise eq. 7: fool both discriminators (non-saturating) and reconstruct.
    fool = sum(losses.nonsaturating_generator_loss(D_x(f)) for f in image_fakes) + sum(
        losses.nonsaturating_generator_loss(D_z(f)) for f in code_fakes)
    out["adv_loss"] = fool.item()
    total = fool
    if x_tilde is not None:
        l1_x = losses.reconstruction_l1(x, x_tilde)
        out["l1_x"] = l1_x.item()
        total = total + s.image_reconstruction_weight * l1_x
    if z_tilde is not None:
        mse_z = F.mse_loss(z_tilde, z)
        out["mse_z"] = mse_z.item()
        total = total + s.latent_reconstruction_weight * mse_z
    trained = ["generator"] + (["encoder"] if E is not None else [])
    optimise(opts, trained, total, s.gradient_clip)
    return out


G_E_ADAM = Adam(2e-4, (0.5, 0.999))
D_ADAM = Adam(5e-4, (0.5, 0.999))
NETWORKS = {
    "generator": NetSpec("dcgan28", norm="layer"),
    "encoder": NetSpec("dcgan28", norm="layer", output="linear"),
    "discriminator": NetSpec("dcgan28", norm="layer"),
    "latent_discriminator": NetSpec("latent-mlp"),
}
OPTIMISERS = {"generator": G_E_ADAM, "encoder": G_E_ADAM, "discriminator": D_ADAM,
              "latent_discriminator": D_ADAM}


def variant(name: str, roles: tuple[str, ...], evaluate) -> Family:
    """The AEGAN or one of its sub-models: the same networks, settings and step."""
    return Family(name=name, config=AEGANSettings,
                  networks={r: NETWORKS[r] for r in roles}, trained=roles,
                  optimisers={r: OPTIMISERS[r] for r in roles}, step=step, evaluate=evaluate)


FAMILY = variant("aegan", ("generator", "encoder", "discriminator", "latent_discriminator"),
                 reconstruction_and_samples)
