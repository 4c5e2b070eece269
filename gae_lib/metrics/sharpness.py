"""How sharp images are: the variance of the Laplacian (Pech-Pacheco et al. 2000), the usual
blur measure.  A blurred digit has soft edges, so its Laplacian is small everywhere and its
variance low; lazarou2022's Fig. 4 claims the AEGAN's reconstructions are sharper than an
AAE's, and this puts a number on it."""
from __future__ import annotations

import torch
from torch.nn import functional as F

from ..checks import check_images

LAPLACIAN = torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])


@torch.no_grad()
def laplacian_variance(images) -> torch.Tensor:
    """Per image (N,): the variance over pixels of the 3 x 3 Laplacian of the image, pixels
    mapped from [-1, 1] to [0, 1], each channel separately and averaged over channels."""
    images = check_images(images, "images").float().cpu()
    channels = images.shape[1]
    kernel = LAPLACIAN.expand(channels, 1, 3, 3)
    response = F.conv2d((images + 1) / 2, kernel, groups=channels)   # "valid": no border edge
    return response.flatten(2).var(dim=2).mean(dim=1)
