"""The library's training loop against a plain PyTorch loop on the same networks, side by side.

The plain loop is pytorch/examples' dcgan/main.py reduced to what the DCGAN of favuzzi2019
does: the same Generator and Discriminator, BCE-with-logits losses, Adam(2e-4, beta1 0.5),
batch 128, one D step and one G step per batch, data already in memory as a tensor.  It
runs twice: in contiguous memory (as pytorch/examples does) and in channels_last (as the
library does).  `make bench` prints images/s of all three; a refactor of the library's loop
must stay at parity with the plain channels_last loop.
"""
from __future__ import annotations

import tempfile
import time

import torch
import torch.nn.functional as F

from gae_lib import data
from gae_lib.documents import config as zoo_config
from gae_lib.nets import Discriminator, Generator
from gae_lib.train import train


def plain_loop(images: int, channels_last: bool, batch: int = 128,
               precision: str = "float32") -> float:
    """Images per second of a plain DCGAN loop over the first ``images`` training digits
    (``bfloat16``: the same loop inside torch.autocast, as a PyTorch user writes it)."""
    torch.manual_seed(0)
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    G, D = Generator().to(memory_format=fmt), Discriminator().to(memory_format=fmt)
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    x_all, _ = data.tensors("mnist", "train", n=images)
    started = time.perf_counter()
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bfloat16"):
        _plain_epoch(G, D, opt_g, opt_d, x_all, batch, fmt)
    return images / (time.perf_counter() - started)


def _plain_epoch(G, D, opt_g, opt_d, x_all, batch, fmt) -> None:
    for x in x_all.split(batch):
        x = x.contiguous(memory_format=fmt)
        z = torch.rand(len(x), 100) * 2 - 1
        fake = G(z)
        real_logits, fake_logits = D(x), D(fake.detach())
        d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
                  + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_logits = D(fake)
        g_loss = F.binary_cross_entropy_with_logits(g_logits, torch.ones_like(g_logits))
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        d_loss.item(), g_loss.item()     # the library's loop reads both losses every step


def library_loop(images: int, precision: str = "float32") -> float:
    cfg = zoo_config("favuzzi2019/dcgan").with_(epochs=1, precision=precision)
    with tempfile.TemporaryDirectory() as out:
        info = train(cfg, out, device="cpu", limit=images, progress=False, evaluate=False)
    return images / info["train_seconds"]


def parity(images: int = 1280, rounds: int = 2, precision: str = "float32") -> dict:
    """images/s of the library's loop and the two plain loops: each the best of ``rounds``
    runs, the three taking turns (one run of ten batches varied by up to 10% between two
    `make bench` runs on the same machine: 0.96x and 0.90x, nothing changed in the loop)."""
    runs = {"plain_contiguous": [], "plain_channels_last": [], "library": []}
    for _ in range(rounds):
        runs["plain_contiguous"].append(plain_loop(images, False, precision=precision))
        runs["plain_channels_last"].append(plain_loop(images, True, precision=precision))
        runs["library"].append(library_loop(images, precision))
    best = {loop: max(rates) for loop, rates in runs.items()}
    plain_contiguous, plain_channels_last = best["plain_contiguous"], best["plain_channels_last"]
    library = best["library"]
    return {"images": images, "rounds": runs, "library_images_per_s": library,
            "plain_contiguous_images_per_s": plain_contiguous,
            "plain_channels_last_images_per_s": plain_channels_last,
            "library_over_plain_contiguous": library / plain_contiguous,
            "library_over_plain_channels_last": library / plain_channels_last}
