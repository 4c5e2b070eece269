"""The networks: the DCGAN-28 generator shared by every family, its discriminator,
a conv encoder built on the discriminator's body, and an MNIST classifier.

Seed 000's original (Keras) code is followed layer by layer; PyTorch's
BatchNorm momentum 0.2 is Keras's momentum 0.8 (the two define it oppositely).
"""
from __future__ import annotations

import torch
from torch import nn

BN_MOMENTUM = 0.2  # Keras BatchNormalization(momentum=0.8)


class Generator(nn.Module):
    """z (N x latent_dim) -> image (N x channels x 28 x 28) in [-1, 1]."""

    def __init__(self, latent_dim: int = 100, channels: int = 1):
        super().__init__()
        self.latent_dim, self.channels = latent_dim, channels
        self.net = nn.Sequential(
            # The original code puts a ReLU after the dense layer; kept.
            nn.Linear(latent_dim, 128 * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (128, 7, 7)),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(128, 128, 3, padding=1), nn.BatchNorm2d(128, momentum=BN_MOMENTUM), nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(128, 64, 3, padding=1), nn.BatchNorm2d(64, momentum=BN_MOMENTUM), nn.ReLU(),
            nn.Conv2d(64, channels, 3, padding=1), nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


def conv_body(channels: int) -> nn.Sequential:
    """The discriminator's convolutions: 28x28 image -> 4096 features."""
    def block(cin, cout, stride, bn=True):
        layers = [nn.Conv2d(cin, cout, 3, stride=stride, padding=1)]
        if bn:
            layers.append(nn.BatchNorm2d(cout, momentum=BN_MOMENTUM))
        return layers + [nn.LeakyReLU(0.2), nn.Dropout(0.25)]

    return nn.Sequential(
        *block(channels, 32, 2, bn=False),            # 28 -> 14
        nn.Conv2d(32, 64, 3, stride=2, padding=1),    # 14 -> 7
        nn.ZeroPad2d((0, 1, 0, 1)),                   # 7 -> 8, as the original
        nn.BatchNorm2d(64, momentum=BN_MOMENTUM), nn.LeakyReLU(0.2), nn.Dropout(0.25),
        *block(64, 128, 2),                           # 8 -> 4
        *block(128, 256, 1),                          # 4 -> 4
        nn.Flatten(),
    )


class Discriminator(nn.Module):
    """image -> logit of 'real' (the sigmoid lives in the loss, for numerical stability)."""

    def __init__(self, channels: int = 1):
        super().__init__()
        self.channels = channels
        self.body = conv_body(channels)
        self.head = nn.Linear(256 * 4 * 4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x)).squeeze(1)


class Encoder(nn.Module):
    """image -> code.  ``output``: 'tanh' (codes in the cube), 'linear', or
    'gaussian' (returns mean and log-variance, for the VAE)."""

    OUTPUTS = ("tanh", "linear", "gaussian")

    def __init__(self, latent_dim: int = 100, channels: int = 1, output: str = "tanh"):
        super().__init__()
        if output not in self.OUTPUTS:
            raise ValueError(f"encoder output must be one of {self.OUTPUTS}, got {output!r}")
        self.latent_dim, self.channels, self.output = latent_dim, channels, output
        self.body = conv_body(channels)
        self.head = nn.Linear(256 * 4 * 4, latent_dim * (2 if output == "gaussian" else 1))

    def forward(self, x: torch.Tensor):
        h = self.head(self.body(x))
        if self.output == "tanh":
            return torch.tanh(h)
        if self.output == "gaussian":
            mean, log_var = h.chunk(2, dim=1)
            return mean, log_var
        return h

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code used downstream: the mean for a Gaussian encoder."""
        out = self(x)
        return out[0] if self.output == "gaussian" else out


class Classifier(nn.Module):
    """MNIST CNN; ``features`` gives the 128-d penultimate layer (for Frechet distances)."""

    def __init__(self, channels: int = 1, classes: int = 10):
        super().__init__()
        self.channels, self.classes = channels, classes
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 14
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),         # 7
            nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
        )
        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(128, classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))
