"""Training as it happened: every few epochs the loop writes a PNG of what the model makes
of a fixed input, G(z) for 64 fixed prior codes (a generator alone) or the
reconstructions of the first 64 test images (a model with an encoder).  The PNGs ship with
the checkpoint (``DOCUMENT/MODEL.snapshots/epoch-NNN.png``, sha256 in the manifest) so a
chapter can show learning without re-training (``zoo.snapshots``)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from .grid import make_grid

from . import data
from .priors import make_prior

N_SNAPSHOT = 64
SNAPSHOT_SEED = 20_191_000   # the fixed codes; not the training seed, so they never coincide


def due(epoch: int, every: int, last: int) -> bool:
    """Snapshots after epoch 1, every ``every`` epochs, and after the last (every=0: none)."""
    return every > 0 and (epoch == 1 or epoch % every == 0 or epoch == last)


@torch.no_grad()
def snapshot_images(cfg, nets, device) -> torch.Tensor:
    """What the model makes of its fixed input now (N_SNAPSHOT images in [-1, 1], on the CPU)."""
    was_training = {k: n.training for k, n in nets.items()}
    for net in nets.values():
        net.eval()
    try:
        if "encoder" in nets:
            x, _ = data.tensors(cfg.dataset, "test", n=N_SNAPSHOT)
            out = nets["generator"](nets["encoder"].encode(x.to(device)))
        else:
            prior = make_prior(cfg.prior, cfg.latent_dim)
            z = prior.sample(N_SNAPSHOT, generator=torch.Generator().manual_seed(SNAPSHOT_SEED))
            out = nets["generator"](z.to(device))
    finally:
        for k, net in nets.items():
            net.train(was_training[k])
    return out.float().cpu()


def write_png(images: torch.Tensor, path: Path) -> Path:
    """An 8 x 8 grid (2-pixel white gaps), 8-bit grey or RGB PNG."""
    grid = make_grid((images + 1) / 2, nrow=8, padding=2, pad_value=1.0).clamp(0, 1)
    array = (grid.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
    if array.shape[2] == 1 or images.shape[1] == 1:
        array = array[..., 0]
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, optimize=True)
    return path


def read_png(path: Path) -> torch.Tensor:
    """A snapshot PNG as a float tensor in [0, 1], (C, H, W)."""
    array = np.asarray(Image.open(path), dtype=np.float32) / 255
    return torch.from_numpy(array[None] if array.ndim == 2 else array.transpose(2, 0, 1))


def file_name(epoch: int) -> str:
    return f"epoch-{epoch:03d}.png"


def split_grid(grid: torch.Tensor, n: int = N_SNAPSHOT, nrow: int = 8, padding: int = 2,
               side: int = 28) -> torch.Tensor:
    """The images of a snapshot grid (``read_png``'s C x H x W in [0, 1]) back as
    n x C x side x side in [-1, 1], e.g. for the classifier (PNG rounding: 1/255)."""
    step = side + padding
    expected = (padding + nrow * step, padding + -(-n // nrow) * step)
    if grid.ndim != 3 or (grid.shape[2], grid.shape[1]) != expected:
        raise ValueError(f"grid: expected C x {expected[1]} x {expected[0]} (a snapshot of {n} "
                         f"images, {nrow} per row), got {tuple(grid.shape)}")
    tiles = [grid[:, padding + r * step: padding + r * step + side,
                  padding + c * step: padding + c * step + side]
             for r, c in (divmod(i, nrow) for i in range(n))]
    return torch.stack(tiles) * 2 - 1
