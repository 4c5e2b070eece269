"""What latentspace2020's claims are measured with: the images a latent space is asked to
reconstruct (test digits, shifted digits, other image kinds, noise; Figs. 3, 6-8), where
codes found with and without the norm constraint lie (eq. 5, Fig. 10), the loss surface on
the paper's plane (eq. 1, Fig. 2), the generator's weights per layer (Fig. 1) and a classifier
trained on reconstructions (Fig. 9b)."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .checks import check_codes, check_images, check_labels, check_positive_int
from .metrics.surfaces import loss_surface

BACKGROUND = -1.0   # MNIST's background in the book's [-1, 1] pixel range


def shifted(images: torch.Tensor, pixels: int) -> torch.Tensor:
    """``images`` moved ``pixels`` to the right and ``pixels`` down, the uncovered border
    filled with background (Fig. 6's translated images; a digit keeps its shape)."""
    images = check_images(images, "images")
    if isinstance(pixels, bool) or not isinstance(pixels, int) or not 0 <= pixels < 28:
        raise ValueError(f"pixels: expected an integer shift in [0, 27], got {pixels!r}")
    if pixels == 0:
        return images.clone()
    out = torch.full_like(images, BACKGROUND)
    out[..., pixels:, pixels:] = images[..., :-pixels, :-pixels]
    return out


def uniform_noise(n: int, seed: int = 0, side: int = 28) -> torch.Tensor:
    """Fig. 8: ``n`` images of independent U[-1, 1] pixels."""
    g = torch.Generator().manual_seed(seed)
    return torch.rand(check_positive_int(n, "n"), 1, side, side, generator=g) * 2 - 1


def prior_norm_quantiles(d: int, q=(0.00135, 0.5, 0.99865)) -> list[float]:
    """Quantiles of ||z|| for z ~ N(0, I_d) (a chi distribution with d degrees of freedom);
    the defaults are the three-sigma band and the median."""
    from scipy.stats import chi
    return [float(v) for v in chi(check_positive_int(d, "d")).ppf(q)]


def code_norms(z) -> torch.Tensor:
    """||z|| of each code (N,)."""
    return check_codes(z, "z").norm(dim=1)


def paper_plane(z_star) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Sec. 3's plane for eq. 1: origin z0 = 0, alpha = z* - z0, and beta = 0 except
    beta[0] = alpha[1], beta[1] = -alpha[0] (orthogonal to alpha), scaled to ||alpha||."""
    z_star = check_codes(z_star.reshape(1, -1), "z_star")[0].float()
    if len(z_star) < 2:
        raise ValueError(f"z_star: expected at least 2 coordinates, got {len(z_star)}")
    alpha = z_star.clone()
    beta = torch.zeros_like(alpha)
    beta[0], beta[1] = alpha[1], -alpha[0]
    if beta.norm() == 0:
        raise ValueError("z_star: its first two coordinates are 0; the paper's beta is undefined")
    beta *= alpha.norm() / beta.norm()
    return torch.zeros_like(alpha), alpha, beta


def surface_around(generator, x, z_star, extent: float = 2.0, resolution: int = 41):
    """Fig. 2: f(a, b) = MSE(x, G(a alpha + b beta)) on the paper's plane through 0 and z*
    (``paper_plane``), a, b in [-extent, extent]: (a values, surface rows over b).  z* sits
    at (1, 0), the prior's mode at (0, 0)."""
    z0, alpha, beta = paper_plane(z_star)
    f = loss_surface(generator, x, z0, alpha, beta, extent=extent, resolution=resolution)
    return np.linspace(-extent, extent, resolution), f


def layer_weights(generator: nn.Module) -> dict[str, np.ndarray]:
    """Fig. 1: the values of each dense and convolutional layer's weight matrix, in order
    ("layer 1", "layer 2", ...); biases and BatchNorm are left out, as in the paper."""
    layers = [m for m in generator.modules() if isinstance(m, (nn.Linear, nn.Conv2d))]
    if not layers:
        raise ValueError("generator: expected at least one dense or convolutional layer")
    return {f"layer {i}": m.weight.detach().float().flatten().cpu().numpy()
            for i, m in enumerate(layers, 1)}


def initial_generator(cfg) -> nn.Module:
    """The generator of a model trained with ``cfg`` as training started: built as
    ``gae_lib.train`` builds it (seeded with ``cfg.seed``), so ``layer_weights`` of this and
    of the trained generator show how far training moved each layer.  The global RNG is left
    as it was."""
    from . import zoo
    from .families import family_of
    with torch.random.fork_rng():
        torch.manual_seed(cfg.seed)
        return family_of(cfg).build(cfg, load=zoo.load)["generator"]


def normality_p(values, most: int = 100_000, seed: int = 0) -> float:
    """D'Agostino and Pearson's test of normality (skew and kurtosis together): the p-value
    that ``values`` come from a Gaussian.  At most ``most`` values, drawn without
    replacement: with millions of weights any departure, however small, has p ~ 0."""
    from scipy.stats import normaltest

    w = np.asarray(values, dtype=np.float64).ravel()
    if w.size < 20:
        raise ValueError(f"values: expected at least 20 numbers for the test, got {w.size}")
    if w.size > most:
        w = np.random.default_rng(seed).choice(w, most, replace=False)
    return float(normaltest(w).pvalue)


def excess_kurtosis(values) -> float:
    """E[(w - mean)^4] / std^4 - 3: 0 for a Gaussian, -1.2 for a uniform distribution (the
    default initialisation of PyTorch's dense and convolutional layers)."""
    w = np.asarray(values, dtype=np.float64).ravel()
    if w.size < 2 or w.std() == 0:
        raise ValueError(f"values: expected at least two distinct numbers, got {w.size}")
    centred = w - w.mean()
    return float((centred ** 4).mean() / centred.var() ** 2 - 3)


def accuracy_when_trained_on(images, labels, test_images, test_labels, steps: int = 600,
                             batch_size: int = 64, seed: int = 0) -> float:
    """Fig. 9b: the book's classifier architecture (``book/classifier``'s CNN and Adam) trained
    from scratch for ``steps`` batches on ``images`` (e.g. a generator's reconstructions of
    training digits, with the digits' labels), then its accuracy on ``test_images``."""
    from .documents import config
    from .losses import classification_loss
    from .metrics.samples import test_accuracy
    from .nets import build_network

    images = check_images(images, "images")
    labels = check_labels(labels, len(images))
    steps = check_positive_int(steps, "steps")
    spec = config("book/classifier")
    torch.manual_seed(seed)
    net = build_network("classifier", spec.networks["classifier"], spec.latent_dim,
                        spec.channels)
    adam = spec.optimisers["classifier"]
    opt = torch.optim.Adam(net.parameters(), lr=adam.lr, betas=adam.betas)
    g = torch.Generator().manual_seed(seed)
    net.train()
    for _ in range(steps):
        idx = torch.randint(len(images), (min(batch_size, len(images)),), generator=g)
        opt.zero_grad(set_to_none=True)
        classification_loss(net(images[idx]), labels[idx]).backward()
        opt.step()
    return test_accuracy(net.eval(), test_images, test_labels)
