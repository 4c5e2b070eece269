"""Losses, each named after what it is, with the equation it implements."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor) -> torch.Tensor:
    """D's side of favuzzi2019 eq. 2: cross-entropy of D(x) against 1 and D(G(z)) against 0."""
    return F.binary_cross_entropy_with_logits(
        real_logits, torch.ones_like(real_logits)
    ) + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))


def nonsaturating_generator_loss(fake_logits: torch.Tensor) -> torch.Tensor:
    """G's side of favuzzi2019 eq. 2 in its non-saturating form (Goodfellow et al. 2014, sec. 3):
    maximise log D(G(z)) instead of minimising log(1 - D(G(z)))."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def reconstruction_mse(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """favuzzi2019 eq. 1: J_AE = MSE(x, G(E(x))), averaged over pixels and images."""
    return F.mse_loss(x_hat, x)


def reconstruction_l1(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """Mean absolute error (the outlier GAN's score in favuzzi2019, sec. 4; lazarou2022's image
    loss)."""
    return F.l1_loss(x_hat, x)


def gaussian_kl(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL(N(mean, diag exp(log_var)) || N(0, I)) per image (Kingma & Welling 2014, appendix B)."""
    return 0.5 * (mean.pow(2) + log_var.exp() - 1 - log_var).sum(dim=1)


def monte_carlo_kl(z: torch.Tensor, mean: torch.Tensor, log_var: torch.Tensor,
                   prior) -> torch.Tensor:
    """One-sample estimate of KL(q(z|x) || p(z)) per image, log q(z|x) - log p(z) at the
    code z drawn from q (kingma2014 eq. 6): the KL of a prior with no closed form, e.g.
    makhzani2016's mixture of Gaussians (its Fig. 2d)."""
    log_q = -0.5 * (((z - mean).pow(2) / log_var.exp()) + log_var
                    + math.log(2 * math.pi)).sum(dim=1)
    return log_q - prior.log_density(z)


def vae_negative_elbo(
    x: torch.Tensor,
    x_hat: torch.Tensor,
    mean: torch.Tensor,
    log_var: torch.Tensor,
    pixel_sigma: float,
    kl: torch.Tensor | None = None,
) -> torch.Tensor:
    """-ELBO per image, averaged over the batch (Kingma & Welling 2014, eq. 3/10):
    Gaussian decoder with fixed pixel standard deviation ``pixel_sigma`` (up to a
    constant) plus the KL of the posterior to the prior (per image; by default the closed
    form for the standard Gaussian prior)."""
    squared_error = (x - x_hat).pow(2).flatten(1).sum(dim=1)
    kl = gaussian_kl(mean, log_var) if kl is None else kl
    return (squared_error / (2 * pixel_sigma**2) + kl).mean()


def masked_mse_per_image(
    x: torch.Tensor, x_hat: torch.Tensor, mask: torch.Tensor | None = None
) -> torch.Tensor:
    """MSE(x, G(z)) of each image over its known pixels (mask 1 = known): the objective of
    favuzzi2019 Algorithm 1, restricted to known pixels for image completion (Fig. 4)."""
    squared = (x_hat - x).pow(2)
    if mask is None:
        return squared.flatten(1).mean(1)
    return (squared * mask).flatten(1).sum(1) / mask.flatten(1).sum(1)


def l1_per_image(x: torch.Tensor, x_hat: torch.Tensor) -> torch.Tensor:
    """||x - x_rec||_L1 = sum_i |x_i - x_rec,i| of each image (favuzzi2019, sec. 4, density)."""
    return (x_hat - x).abs().flatten(1).sum(1)


def classification_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits, labels)


def vae_negative_elbo_bernoulli(
    x: torch.Tensor, x_hat: torch.Tensor, mean: torch.Tensor, log_var: torch.Tensor,
    kl: torch.Tensor | None = None,
) -> torch.Tensor:
    """-ELBO per image with a Bernoulli decoder on pixels mapped to [0, 1] (kingma2014,
    appendix C.1; the pytorch/examples VAE): binary cross-entropy summed over pixels + KL
    (per image; by default the closed form for the standard Gaussian prior)."""
    p = ((x_hat + 1) / 2).clamp(1e-6, 1 - 1e-6)
    target = (x + 1) / 2
    bce = F.binary_cross_entropy(p, target, reduction="none").flatten(1).sum(dim=1)
    kl = gaussian_kl(mean, log_var) if kl is None else kl
    return (bce + kl).mean()


def wasserstein_critic_loss(real_scores: torch.Tensor, fake_scores: torch.Tensor) -> torch.Tensor:
    """The critic's side of gulrajani2017 eq. 3 (without the penalty): E[D(G(z))] - E[D(x)]."""
    return fake_scores.mean() - real_scores.mean()


def wasserstein_generator_loss(fake_scores: torch.Tensor) -> torch.Tensor:
    """The generator's side: -E[D(G(z))]."""
    return -fake_scores.mean()


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """gulrajani2017 eq. 3: E[(||grad D(x_hat)||_2 - 1)^2] at x_hat = eps x + (1 - eps) G(z),
    eps ~ U[0, 1] per sample."""
    eps = torch.rand(len(real), *([1] * (real.dim() - 1)), device=real.device)
    mixed = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(mixed).sum(), [mixed], create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()
