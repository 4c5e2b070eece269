"""Figures of the book.  Plots take tensors and return matplotlib figures; they never train."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from .grid import make_grid

from .masks import with_unknown_grey  # noqa: F401  (re-exported: plots.with_unknown_grey)


def image_grid(images: torch.Tensor, nrow: int = 8) -> torch.Tensor:
    """N x C x H x W in [-1, 1] -> H' x W' x C array in [0, 1] for ``imshow``."""
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(
            f"expected images N x C x H x W with C in (1, 3), got {tuple(images.shape)}"
        )
    grid = make_grid(images.clamp(-1, 1) * 0.5 + 0.5, nrow=nrow, padding=1, pad_value=0.5)
    return grid.permute(1, 2, 0).numpy()


def show_images(ax, images: torch.Tensor, title: str | None = None, nrow: int = 8) -> None:
    ax.imshow(image_grid(images, nrow), cmap="gray", interpolation="nearest")
    ax.set_xticks([]), ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)


def image_rows(rows: dict[str, torch.Tensor], scale: float = 0.55) -> plt.Figure:
    """Labelled rows of equally many images, e.g. originals / reconstructions / completions."""
    n = {len(v) for v in rows.values()}
    if len(n) != 1:
        raise ValueError(
            f"expected the same number of images in every row, got "
            f"{ {k: len(v) for k, v in rows.items()} }"
        )
    n = n.pop()
    fig, axes = plt.subplots(
        len(rows), 1, figsize=(scale * n + 1.6, scale * len(rows) + 0.2), squeeze=False
    )
    for ax, (label, images) in zip(axes[:, 0], rows.items()):
        show_images(ax, images, nrow=n)
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    fig.subplots_adjust(
        left=1.5 / (scale * n + 1.6), right=0.99, top=0.98, bottom=0.02, hspace=0.08
    )
    return fig


def image_square(images: torch.Tensor, nrow: int, title: str | None = None,
                 size: float = 6.0) -> plt.Figure:
    """One large grid of images, ``nrow`` to a row (makhzani2016 Fig. 2e: a decoded code grid)."""
    rows = -(-len(images) // nrow)
    fig, ax = plt.subplots(figsize=(size, size * rows / nrow + 0.4))
    show_images(ax, images, title, nrow)
    fig.tight_layout()
    return fig


def dataset_gallery(samples: dict[str, torch.Tensor], nrow: int = 8, cols: int = 3,
                    height: float = 1.5) -> plt.Figure:
    """One panel of images per data set, e.g. ``{"mnist": x, "letters": x2}``, ``cols`` a row
    (``height``: inches per row of panels; 3.4 gives square grids their full width)."""
    rows = -(-len(samples) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, height * rows), squeeze=False)
    for ax, (name, images) in zip(axes.flat, samples.items()):
        show_images(ax, images, name, nrow)
    for ax in axes.flat[len(samples) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def diagram_axes(width: float, height: float, xlim: float, ylim: float):
    """An empty figure for a block diagram, with ``box(x, y, text, colour, w)`` and
    ``arrow(x0, y0, x1, y1)`` drawing on it in data coordinates."""
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_xlim(0, xlim), ax.set_ylim(0, ylim), ax.axis("off")

    def box(x, y, text, colour, w=1.6):
        ax.add_patch(FancyBboxPatch((x - w / 2, y - 0.35), w, 0.7, boxstyle="round,pad=0.05",
                                    fc=colour, ec="black", lw=1))
        ax.text(x, y, text, ha="center", va="center", fontsize=11)

    def arrow(x0, y0, x1, y1):
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=14))

    return fig, ax, box, arrow


def shared_generator_diagram() -> plt.Figure:
    """favuzzi2019, Figure 1: the decoder of an AE and the generator of a GAN are the same kind
    of map G: Z -> X."""
    fig, ax, box, arrow = diagram_axes(9, 3.6, 10, 4.2)

    shared = "#f6c85f"
    # Autoencoder: x -> E -> z -> G -> x_hat, trained on J(x, x_hat).
    ax.text(0.1, 3.85, "Autoencoder", fontsize=12, weight="bold")
    box(0.7, 3.1, "$x$", "white", 0.8), box(2.2, 3.1, "encoder $E$", "#9dd9d2", 1.5)
    box(3.9, 3.1, r"$z \in \mathcal{Z}$", "white", 1.1), box(5.6, 3.1, "decoder $G$", shared)
    box(7.3, 3.1, r"$\hat{x}$", "white", 0.8)
    for x0, x1 in [(1.1, 1.45), (2.95, 3.35), (4.45, 4.8), (6.4, 6.9)]:
        arrow(x0, 3.1, x1, 3.1)
    ax.text(7.8, 3.1, r"loss $J(x, \hat{x})$", va="center", fontsize=10)
    # GAN: z ~ P_Z -> G -> x_tilde -> D -> real / fake.
    ax.text(0.1, 1.55, "GAN", fontsize=12, weight="bold")
    box(3.9, 0.8, r"$z \sim P_\mathcal{Z}$", "white", 1.1), box(5.6, 0.8, "generator $G$", shared)
    box(7.3, 0.8, r"$\tilde{x}$", "white", 0.8), box(8.9, 0.8, "discr. $D$", "#f79d84", 1.3)
    arrow(4.45, 0.8, 4.8, 0.8), arrow(6.4, 0.8, 6.9, 0.8), arrow(7.7, 0.8, 8.25, 0.8)
    ax.text(8.9, 1.75, "real $x$", ha="center", fontsize=10), arrow(8.9, 1.65, 8.9, 1.15)
    ax.text(8.9, 0.2, "real or fake?", ha="center", fontsize=9)
    ax.plot([5.6, 5.6], [1.2, 2.7], ls="--", color="#8a6d00")
    ax.text(
        5.7,
        1.95,
        r"same kind of map $G: \mathcal{Z} \to \mathcal{X}$",
        va="center",
        fontsize=10,
        color="#8a6d00",
    )
    ax.text(
        1.6,
        0.8,
        "no encoder: find $z$ for an $x$\nwith a network $E_{NN}$ or by\n"
        "gradient descent (Algorithm 1)",
        ha="center",
        va="center",
        fontsize=9,
        style="italic",
    )
    fig.tight_layout()
    return fig


def aae_diagram() -> plt.Figure:
    """makhzani2016, Fig. 1: an autoencoder (top) whose codes a second network, the code
    discriminator, tells from samples of the prior (bottom)."""
    fig, ax, box, arrow = diagram_axes(9, 3.8, 10, 4.4)
    ax.text(0.1, 4.05, "Reconstruction phase: E and G", fontsize=11, weight="bold")
    box(0.7, 3.3, "$x$", "white", 0.8), box(2.3, 3.3, "encoder $E$", "#9dd9d2")
    box(4.2, 3.3, "$z = E(x)$", "white", 1.4), box(6.1, 3.3, "decoder $G$", "#f6c85f")
    box(7.8, 3.3, r"$\hat{x}$", "white", 0.8)
    for x0, x1 in [(1.1, 1.5), (3.1, 3.5), (4.9, 5.3), (6.9, 7.4)]:
        arrow(x0, 3.3, x1, 3.3)
    ax.text(8.3, 3.3, r"MSE$(x, \hat{x})$", va="center", fontsize=10)
    ax.text(0.1, 1.95, "Regularisation phase: D, then E", fontsize=11, weight="bold")
    box(2.3, 0.7, r"$z' \sim p(z)$ (prior)", "white", 2.0)
    box(6.1, 1.2, "code discr. $D$", "#f79d84", 1.8)
    arrow(4.2, 2.95, 5.3, 1.45), arrow(3.3, 0.8, 5.3, 1.05)
    ax.text(7.15, 1.2, "prior or code?", va="center", fontsize=10)
    ax.text(6.1, 0.3, "E learns to make D call its codes prior samples: "
            "q(z) is pushed to p(z)", ha="center", fontsize=9, style="italic")
    fig.tight_layout()
    return fig


def aegan_diagram() -> plt.Figure:
    """lazarou2022, Fig. 2: the AEGAN's four networks.  Top: a prior code through G and back
    through E; bottom: a real image through E and back through G; right: the two
    discriminators, each shown two kinds of fakes (eqs. 2-5); the two reconstruction losses
    (eq. 6) between the rows."""
    fig, ax, box, arrow = diagram_axes(10, 4.6, 11.2, 5.2)
    gen, enc, disc, adv, rec = "#f6c85f", "#9dd9d2", "#f79d84", "#b03a2e", "#1f618d"
    top, bottom = 3.7, 1.3
    box(0.9, top, r"$z \sim p(z)$", "white", 1.3), box(2.7, top, "$G$", gen, 0.9)
    box(4.2, top, r"$\hat{x} = G(z)$", "white", 1.5), box(5.9, top, "$E$", enc, 0.9)
    box(7.5, top, r"$\tilde{z} = E(\hat{x})$", "white", 1.6)
    box(0.9, bottom, r"$x \sim p_{data}$", "white", 1.3), box(2.7, bottom, "$E$", enc, 0.9)
    box(4.2, bottom, r"$\hat{z} = E(x)$", "white", 1.5), box(5.9, bottom, "$G$", gen, 0.9)
    box(7.5, bottom, r"$\tilde{x} = G(\hat{z})$", "white", 1.6)
    for y in (top, bottom):
        for x0, x1 in [(1.55, 2.25), (3.15, 3.45), (4.95, 5.45), (6.35, 6.7)]:
            arrow(x0, y, x1, y)
    box(10.2, top, "$D_x$", disc, 1.0), box(10.2, bottom, "$D_z$", disc, 1.0)

    def arc(x0, y0, x1, y1, rad):
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=14,
                                     connectionstyle=f"arc3,rad={rad}", color=adv))

    arc(4.2, top + 0.4, 10.2, top + 0.4, -0.25)      # x_hat -> D_x (eq. 2)
    arc(4.2, bottom - 0.4, 10.2, bottom - 0.4, 0.25)  # z_hat -> D_z (eq. 4)
    arc(8.35, bottom + 0.2, 9.65, top - 0.2, 0.0)    # x_tilde -> D_x (eq. 3)
    arc(8.35, top - 0.2, 9.65, bottom + 0.2, 0.0)    # z_tilde -> D_z (eq. 5)
    ax.text(7.2, 5.0, r"eq. 2: $D_x$ tells real $x$ from $\hat{x}$", ha="center", fontsize=9,
            color=adv)
    ax.text(7.2, 0.02, r"eq. 4: $D_z$ tells prior $z$ from $\hat{z}$", ha="center",
            fontsize=9, color=adv)
    ax.text(9.15, 2.95, "eq. 3", fontsize=9, color=adv)
    ax.text(9.15, 2.0, "eq. 5", fontsize=9, color=adv)
    ax.text(7.5, top - 0.75, r"eq. 6: $\lambda_z \|z - \tilde{z}\|^2$", ha="center",
            fontsize=9, color=rec)
    ax.text(7.5, bottom + 0.55, r"eq. 6: $\lambda_x |x - \tilde{x}|_1$", ha="center",
            fontsize=9, color=rec)
    ax.text(0.1, 2.45, "GAN: $G$, $D_x$, eq. 2.   AAE: $G$, $E$, $D_z$, eq. 4 and the\n"
            "$L_1$ term of eq. 6.   AEGAN: all four networks, eqs. 2-7.", fontsize=9,
            style="italic", va="center")
    fig.tight_layout()
    return fig


def save_samples(model, path, n: int = 64, seed: int = 0):
    """PNG grid of ``n`` prior samples of a zoo model's generator (what it makes of P_Z)."""
    from pathlib import Path
    from .quality import prior_samples

    images = prior_samples(model.generator, model.config.prior, n, seed)
    fig, ax = plt.subplots(figsize=(6, 6))
    show_images(ax, images, f"{model.config.name}: {n} samples of its prior", nrow=8)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path
