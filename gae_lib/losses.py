"""Losses, each named after what it is, with the equation it implements."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """D's side of seed 000 eq. 2: cross-entropy of D(x) against 1 and D(G(z)) against 0."""
    return (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))


def nonsaturating_generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """G's side of seed 000 eq. 2 in its non-saturating form (Goodfellow et al. 2014, sec. 3):
    maximise log D(G(z)) instead of minimising log(1 - D(G(z)))."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def reconstruction_mse(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """Seed 000 eq. 1: J_AE = MSE(x, G(E(x))), averaged over pixels and images."""
    return F.mse_loss(x_hat, x)


def reconstruction_l1(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """Mean absolute error (the outlier GAN's score in seed 000, sec. 4; the AEGAN's image loss)."""
    return F.l1_loss(x_hat, x)


def gaussian_kl(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL(N(mean, diag exp(log_var)) || N(0, I)) per image (Kingma & Welling 2014, appendix B)."""
    return 0.5 * (mean.pow(2) + log_var.exp() - 1 - log_var).sum(dim=1)


def vae_negative_elbo(x: torch.Tensor, x_hat: torch.Tensor, mean: torch.Tensor,
                      log_var: torch.Tensor, pixel_sigma: float) -> torch.Tensor:
    """-ELBO per image, averaged over the batch (Kingma & Welling 2014, eq. 3/10):
    Gaussian decoder with fixed pixel standard deviation ``pixel_sigma`` (up to a
    constant) plus the KL of the posterior to the standard Gaussian prior."""
    squared_error = (x - x_hat).pow(2).flatten(1).sum(dim=1)
    return (squared_error / (2 * pixel_sigma ** 2) + gaussian_kl(mean, log_var)).mean()


def masked_mse_per_image(x: torch.Tensor, x_hat: torch.Tensor,
                         mask: torch.Tensor | None = None) -> torch.Tensor:
    """MSE(x, G(z)) of each image over its known pixels (mask 1 = known): the objective of
    seed 000 Algorithm 1, restricted to known pixels for image completion (Fig. 4)."""
    squared = (x_hat - x).pow(2)
    if mask is None:
        return squared.flatten(1).mean(1)
    return (squared * mask).flatten(1).sum(1) / mask.flatten(1).sum(1)


def l1_per_image(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """||x - x_rec||_L1 = sum_i |x_i - x_rec,i| of each image (seed 000, sec. 4, density)."""
    return (x_hat - x).abs().flatten(1).sum(1)


def classification_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits, labels)
