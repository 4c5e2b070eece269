"""The networks, apart from the objectives that train them (``gae_lib.families``).

Every generator maps N x latent_dim codes to N x channels x 28 x 28 images in [-1, 1]
and carries ``latent_dim`` and ``channels``; every encoder has ``encode`` (the code used
downstream); discriminators and critics return one logit (or score) per input.  A
``NetSpec`` (data, inside a checkpoint's config) names the architecture of one network:

- ``dcgan28``: the DCGAN-28 generator / discriminator / encoder of favuzzi2019's Keras
  code, layer by layer, with a ``norm`` option (``batch`` as that code, ``layer``, ``none``);
- ``wgan-gp-critic``: gulrajani2017's MNIST critic, or an encoder on its body (no BatchNorm,
  no dropout: the gradient penalty is per sample, and batch statistics would couple the
  samples);
- ``mlp``: fully connected generator / discriminator / encoder (``widths``, ``activation``,
  ``dropout``); an ``mlp`` encoder with ``output="gaussian"`` is the VAE's Gaussian encoder;
- ``latent-mlp``: a discriminator on codes (code -> logit), for adversarial autoencoders;
- ``cnn``: the MNIST classifier the book measures samples with.

PyTorch's BatchNorm momentum 0.2 is Keras's momentum 0.8 (the two define it oppositely).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

BN_MOMENTUM = 0.2  # Keras BatchNormalization(momentum=0.8)
NORMS = ("batch", "layer", "none")
ACTIVATIONS = {
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "elu": nn.ELU,
}
ENCODER_OUTPUTS = ("tanh", "linear", "gaussian")
IMAGE_SIDE = 28


@dataclass(frozen=True)
class NetSpec:
    """The architecture of one network; the family decides its role."""

    arch: str = "dcgan28"
    norm: str = "batch"  # dcgan28 only
    widths: tuple[int, ...] | None = (
        None  # mlp / latent-mlp hidden widths; None: the role's default
    )
    activation: str = "leaky_relu"  # mlp / latent-mlp
    dropout: float = 0.0  # mlp discriminator
    output: str = "tanh"  # encoders: tanh | linear | gaussian

    def __post_init__(self):
        if self.widths is not None:
            object.__setattr__(self, "widths", tuple(self.widths))
        if self.norm not in NORMS:
            raise ValueError(f"norm: expected one of {NORMS}, got {self.norm!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(
                f"activation: expected one of {tuple(ACTIVATIONS)}, got {self.activation!r}"
            )
        if self.output not in ENCODER_OUTPUTS:
            raise ValueError(f"output: expected one of {ENCODER_OUTPUTS}, got {self.output!r}")

    def to_dict(self) -> dict:
        return {**asdict(self), "widths": None if self.widths is None else list(self.widths)}


def norm_2d(kind: str, channels: int) -> nn.Module:
    """BatchNorm (the Keras code), LayerNorm over C x H x W (GroupNorm with one group), or
    nothing. Identity keeps the layer indices, so state-dict keys do not depend on ``norm``."""
    if kind == "batch":
        return nn.BatchNorm2d(channels, momentum=BN_MOMENTUM)
    if kind == "layer":
        return nn.GroupNorm(1, channels)
    return nn.Identity()


class Generator(nn.Module):
    """DCGAN-28: z (N x latent_dim) -> image (N x channels x 28 x 28) in [-1, 1]."""

    def __init__(self, latent_dim: int = 100, channels: int = 1, norm: str = "batch"):
        super().__init__()
        self.latent_dim, self.channels = latent_dim, channels
        self.net = nn.Sequential(
            # The original code puts a ReLU after the dense layer; kept.
            nn.Linear(latent_dim, 128 * 7 * 7),
            nn.ReLU(),
            nn.Unflatten(1, (128, 7, 7)),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(128, 128, 3, padding=1),
            norm_2d(norm, 128),
            nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(128, 64, 3, padding=1),
            norm_2d(norm, 64),
            nn.ReLU(),
            nn.Conv2d(64, channels, 3, padding=1),
            nn.Tanh(),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


def conv_body(channels: int, norm: str = "batch") -> nn.Sequential:
    """The DCGAN-28 discriminator's convolutions: 28x28 image -> 4096 features."""

    def block(cin, cout, stride, normed=True):
        layers = [nn.Conv2d(cin, cout, 3, stride=stride, padding=1)]
        if normed:
            layers.append(norm_2d(norm, cout))
        return layers + [nn.LeakyReLU(0.2), nn.Dropout(0.25)]

    return nn.Sequential(
        *block(channels, 32, 2, normed=False),  # 28 -> 14
        nn.Conv2d(32, 64, 3, stride=2, padding=1),  # 14 -> 7
        nn.ZeroPad2d((0, 1, 0, 1)),  # 7 -> 8, as the original
        norm_2d(norm, 64),
        nn.LeakyReLU(0.2),
        nn.Dropout(0.25),
        *block(64, 128, 2),  # 8 -> 4
        *block(128, 256, 1),  # 4 -> 4
        nn.Flatten(),
    )


class Discriminator(nn.Module):
    """DCGAN-28: image -> logit of 'real' (the sigmoid lives in the loss, for stability)."""

    def __init__(self, channels: int = 1, norm: str = "batch"):
        super().__init__()
        self.channels = channels
        self.body = conv_body(channels, norm)
        self.head = nn.Linear(256 * 4 * 4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x)).squeeze(1)


def code_from(h: torch.Tensor, output: str):
    """An encoder's last layer's output as a code: 'tanh' (codes in the cube), 'linear', or
    'gaussian' (mean and log-variance, for a VAE)."""
    if output == "tanh":
        return torch.tanh(h)
    if output == "gaussian":
        mean, log_var = h.chunk(2, dim=1)
        return mean, log_var
    return h


class EncoderBase(nn.Module):
    """``body`` to features, ``head`` to the code (twice its width for a Gaussian encoder)."""

    def __init__(self, latent_dim: int, channels: int, output: str):
        super().__init__()
        if output not in ENCODER_OUTPUTS:
            raise ValueError(f"encoder output must be one of {ENCODER_OUTPUTS}, got {output!r}")
        self.latent_dim, self.channels, self.output = latent_dim, channels, output

    def head_for(self, features: int) -> nn.Linear:
        return nn.Linear(features, self.latent_dim * (2 if self.output == "gaussian" else 1))

    def forward(self, x: torch.Tensor):
        return code_from(self.head(self.body(x)), self.output)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """The code used downstream: the mean for a Gaussian encoder."""
        out = self(x)
        return out[0] if self.output == "gaussian" else out


class Encoder(EncoderBase):
    """DCGAN-28 encoder: the discriminator's body, then a code layer."""

    def __init__(
        self, latent_dim: int = 100, channels: int = 1, output: str = "tanh", norm: str = "batch"
    ):
        super().__init__(latent_dim, channels, output)
        self.body = conv_body(channels, norm)
        self.head = self.head_for(256 * 4 * 4)


def critic_body(channels: int = 1, width: int = 64) -> nn.Sequential:
    """gulrajani2017's MNIST critic body: three 5x5 stride-2 convolutions with LeakyReLU, no
    normalisation and no dropout: 28x28 image -> 4 * width * 4 * 4 features."""
    return nn.Sequential(
        nn.Conv2d(channels, width, 5, stride=2, padding=2),
        nn.LeakyReLU(0.2),  # 14
        nn.Conv2d(width, 2 * width, 5, stride=2, padding=2),
        nn.LeakyReLU(0.2),  # 7
        nn.Conv2d(2 * width, 4 * width, 5, stride=2, padding=2),
        nn.LeakyReLU(0.2),  # 4
        nn.Flatten(),
    )


class WGANCritic(nn.Module):
    """gulrajani2017's MNIST critic: ``critic_body``, then a linear score (no sigmoid: a
    Wasserstein critic)."""

    def __init__(self, channels: int = 1, width: int = 64):
        super().__init__()
        self.channels = channels
        self.body = critic_body(channels, width)
        self.head = nn.Linear(4 * width * 4 * 4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x)).squeeze(1)


class CriticEncoder(EncoderBase):
    """An encoder with the WGAN-GP critic's body (latentspace2020's AE: the encoder is the
    critic's architecture, eq. 3), then a code layer."""

    def __init__(self, latent_dim: int = 100, channels: int = 1, output: str = "linear",
                 width: int = 64):
        super().__init__(latent_dim, channels, output)
        self.body = critic_body(channels, width)
        self.head = self.head_for(4 * width * 4 * 4)


def mlp(
    sizes: list[int], activation: str, dropout: float = 0.0, activate_last: bool = False
) -> nn.Sequential:
    """Linear layers of ``sizes``, each hidden one (and the last if ``activate_last``)
    followed by the activation (and dropout)."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2 or activate_last:
            layers.append(ACTIVATIONS[activation]())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class MLPGenerator(nn.Module):
    """z -> hidden layers -> tanh image (goodfellow2014-style; the common MNIST reference
    G is 100 -> 256 -> 512 -> 1024 -> 784 with LeakyReLU 0.2)."""

    def __init__(
        self,
        latent_dim: int = 100,
        channels: int = 1,
        widths=(256, 512, 1024),
        activation: str = "leaky_relu",
    ):
        super().__init__()
        self.latent_dim, self.channels = latent_dim, channels
        pixels = channels * IMAGE_SIDE * IMAGE_SIDE
        self.net = nn.Sequential(
            mlp([latent_dim, *widths, pixels], activation),
            nn.Tanh(),
            nn.Unflatten(1, (channels, IMAGE_SIDE, IMAGE_SIDE)),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class MLPDiscriminator(nn.Module):
    """image -> hidden layers (activation, dropout) -> logit."""

    def __init__(
        self,
        channels: int = 1,
        widths=(1024, 512, 256),
        activation: str = "leaky_relu",
        dropout: float = 0.3,
    ):
        super().__init__()
        self.channels = channels
        self.net = nn.Sequential(
            nn.Flatten(), mlp([channels * IMAGE_SIDE**2, *widths, 1], activation, dropout)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(1)


class MLPEncoder(EncoderBase):
    """image -> hidden layers -> code ('tanh', 'linear' or 'gaussian': the VAE's encoder;
    ``widths=()`` is a linear encoder)."""

    def __init__(
        self,
        latent_dim: int = 100,
        channels: int = 1,
        widths=(512,),
        activation: str = "relu",
        output: str = "gaussian",
    ):
        super().__init__(latent_dim, channels, output)
        sizes = [channels * IMAGE_SIDE**2, *widths]
        self.body = nn.Sequential(nn.Flatten(), *mlp(sizes, activation, activate_last=True))
        self.head = self.head_for(sizes[-1])


class LatentDiscriminator(nn.Module):
    """code (N x latent_dim) -> logit 'drawn from the prior' (makhzani2016, sec. 2)."""

    def __init__(self, latent_dim: int = 100, widths=(512, 512), activation: str = "leaky_relu"):
        super().__init__()
        self.latent_dim = latent_dim
        self.net = mlp([latent_dim, *widths, 1], activation)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).squeeze(1)


class Classifier(nn.Module):
    """MNIST CNN; ``features`` gives the 128-d penultimate layer (for Frechet distances)."""

    def __init__(self, channels: int = 1, classes: int = 10):
        super().__init__()
        self.channels, self.classes = channels, classes
        self.body = nn.Sequential(
            nn.Conv2d(channels, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 14
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 7
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 128),
            nn.ReLU(),
        )
        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(128, classes))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


def default(widths, role_default):
    return role_default if widths is None else widths


ROLES = ("generator", "discriminator", "encoder", "latent_discriminator", "label_discriminator",
         "classifier")

# Which architectures can fill which role, and the role's default hidden widths.
ARCHITECTURES = {
    ("generator", "dcgan28"): lambda s, d, c: Generator(d, c, s.norm),
    ("generator", "mlp"): lambda s, d, c: MLPGenerator(
        d, c, default(s.widths, (256, 512, 1024)), s.activation
    ),
    ("discriminator", "dcgan28"): lambda s, d, c: Discriminator(c, s.norm),
    ("discriminator", "wgan-gp-critic"): lambda s, d, c: WGANCritic(c),
    ("discriminator", "mlp"): lambda s, d, c: MLPDiscriminator(
        c, default(s.widths, (1024, 512, 256)), s.activation, s.dropout
    ),
    ("encoder", "dcgan28"): lambda s, d, c: Encoder(d, c, s.output, s.norm),
    ("encoder", "wgan-gp-critic"): lambda s, d, c: CriticEncoder(d, c, s.output),
    ("encoder", "mlp"): lambda s, d, c: MLPEncoder(
        d, c, default(s.widths, (512,)), s.activation, s.output
    ),
    ("latent_discriminator", "latent-mlp"): lambda s, d, c: LatentDiscriminator(
        d, default(s.widths, (512, 512)), s.activation
    ),
    # A discriminator on categorical codes (one-hot against softmax; makhzani2016, sec. 5).
    ("label_discriminator", "latent-mlp"): lambda s, d, c: LatentDiscriminator(
        d, default(s.widths, (512, 512)), s.activation
    ),
    ("classifier", "cnn"): lambda s, d, c: Classifier(c),
}


def build_network(role: str, spec: NetSpec, latent_dim: int, channels: int) -> nn.Module:
    """The network of ``spec.arch`` for ``role``, e.g. ('generator', NetSpec('mlp'))."""
    make = ARCHITECTURES.get((role, spec.arch))
    if make is None:
        fits = [a for r, a in ARCHITECTURES if r == role]
        raise ValueError(f"architecture {spec.arch!r} cannot be a {role}; expected one of {fits}")
    return make(spec, latent_dim, channels)


def parameter_count(net: nn.Module) -> int:
    """Trainable numbers in ``net`` (weights and biases)."""
    return sum(p.numel() for p in net.parameters() if p.requires_grad)


def layer_sizes(net: nn.Module) -> str:
    """The widths a fully connected network passes through, e.g. '100 → 256 → 784'."""
    linear = [m for m in net.modules() if isinstance(m, nn.Linear)]
    convolutional = any(isinstance(m, nn.modules.conv._ConvNd) for m in net.modules())
    if not linear or convolutional:
        raise ValueError(f"layer_sizes: expected a fully connected network (nn.Linear layers "
                         f"only), got {type(net).__name__}")
    return " → ".join(str(n) for n in [linear[0].in_features] + [m.out_features for m in linear])
