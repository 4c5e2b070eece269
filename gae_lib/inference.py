"""A frozen, faster copy of a generator for inversion and decoding: the same function, fewer FLOPs.

The DCGAN-28 generator upsamples by 2 (nearest neighbour) and then convolves with a 3x3
kernel, twice.  That pair is one transposed convolution, stride 2, with a 4x4 kernel whose
taps are sums of the 3x3 taps: in one dimension input x[i] reaches outputs 2i-1 .. 2i+2
with weights (w2, w1 + w2, w0 + w1, w0) (the sub-pixel identity, Shi et al. 2016).  That
is 16 instead of 36 multiply-adds per 2x2 block of output, and no upsampled tensor.
Eval-mode BatchNorm is folded into the convolution before it.  Results equal the original
generator's up to float round-off (tested).

The copy always runs in eval mode (BatchNorm with its running statistics), whatever mode the
original is in.  Any other architecture gets a plain frozen copy, channels_last on a CPU.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from .nets import Generator

# TAPS[k] sums the 3 taps of a 1-D kernel into tap k of the stride-2 transposed kernel.
TAPS = torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])


def folded(conv: nn.Conv2d, bn: nn.BatchNorm2d) -> tuple[torch.Tensor, torch.Tensor]:
    """Weights and bias of BN(conv(x)) with BN in eval mode, as one convolution."""
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    weight = conv.weight * scale[:, None, None, None]
    bias = (conv.bias - bn.running_mean) * scale + bn.bias
    return weight.detach(), bias.detach()


def upsample_conv_as_transposed(weight: torch.Tensor, bias: torch.Tensor) -> nn.ConvTranspose2d:
    """conv3x3(upsample2(x), weight, bias, padding 1) as one ConvTranspose2d(stride 2, kernel 4)."""
    cout, cin = weight.shape[:2]
    layer = nn.ConvTranspose2d(cin, cout, 4, stride=2, padding=1)
    taps = TAPS.to(weight.dtype)
    # kernel[c, o, k, l] = sum_rs taps[k, r] weight[o, c, r, s] taps[l, s]
    layer.weight.data = torch.einsum("kr,ocrs,ls->cokl", taps, weight, taps).contiguous()
    layer.bias.data = bias.clone()
    return layer


def block(conv: nn.Conv2d, norm: nn.Module) -> list[nn.Module]:
    """upsample + conv + norm as a transposed convolution: BatchNorm folded into it; LayerNorm
    (a GroupNorm of one group, which needs each image's statistics) or none kept after it."""
    if isinstance(norm, nn.BatchNorm2d):
        return [upsample_conv_as_transposed(*folded(conv, norm))]
    transposed = upsample_conv_as_transposed(conv.weight.detach(), conv.bias.detach())
    return [transposed, copy.deepcopy(norm)]


class FastGenerator(nn.Module):
    """The DCGAN-28 generator in eval mode, with its two upsample + conv + norm blocks
    rewritten."""

    def __init__(self, g: Generator):
        super().__init__()
        linear, _, unflatten, _, conv1, norm1, _, _, conv2, norm2, _, conv3, _ = g.net
        self.latent_dim, self.channels = g.latent_dim, g.channels
        self.net = nn.Sequential(
            copy.deepcopy(linear),
            nn.ReLU(),
            copy.deepcopy(unflatten),
            *block(conv1, norm1),
            nn.ReLU(),
            *block(conv2, norm2),
            nn.ReLU(),
            copy.deepcopy(conv3),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


def has_dcgan28_layout(generator: nn.Module) -> bool:
    if type(generator) is not Generator:
        return False
    kinds = [type(m) for m in generator.net]
    norms = (nn.BatchNorm2d, nn.GroupNorm, nn.Identity)   # norm "batch", "layer", "none"
    return (
        len(kinds) == 13
        and kinds[5] in norms and kinds[9] in norms
        and kinds[:5] + kinds[6:9] + kinds[10:]
        == [
            nn.Linear,
            nn.ReLU,
            nn.Unflatten,
            nn.Upsample,
            nn.Conv2d,
            nn.ReLU,
            nn.Upsample,
            nn.Conv2d,
            nn.ReLU,
            nn.Conv2d,
            nn.Tanh,
        ]
        and all(
            m.scale_factor == 2 and m.mode == "nearest"
            for m in generator.net
            if isinstance(m, nn.Upsample)
        )
        and all(
            m.kernel_size == (3, 3) and m.padding == (1, 1) and m.stride == (1, 1)
            for m in generator.net
            if isinstance(m, nn.Conv2d)
        )
    )


@torch.no_grad()
def frozen_copy(generator: nn.Module) -> nn.Module:
    """A copy of ``generator`` for inference only (eval mode, no parameter gradients; the
    original is not touched): the FastGenerator where the layout allows, else a plain copy,
    channels_last on
    a CPU.  Carries ``latent_dim`` and ``channels``."""
    device = next(generator.parameters()).device
    fast = has_dcgan28_layout(generator)
    out = FastGenerator(generator) if fast else copy.deepcopy(generator).eval()
    out.requires_grad_(False)
    if device.type == "cpu":
        out = out.to(memory_format=torch.channels_last)
    out.latent_dim = generator.latent_dim
    out.channels = getattr(generator, "channels", None)
    return out
