"""Images for widgets: PNG bytes for ``ipywidgets.Image``, no matplotlib needed for digits."""
from __future__ import annotations

import io

import matplotlib
import numpy as np
import torch
from PIL import Image

from ..plots import image_grid


def grid_array(images: torch.Tensor, nrow: int) -> np.ndarray:
    """uint8 H x W x 3 grid of images in [-1, 1] (grey padding between them)."""
    grid = image_grid(images.detach().cpu(), nrow)
    if grid.shape[2] == 1:
        grid = np.repeat(grid, 3, axis=2)
    return (grid * 255).round().astype(np.uint8)


def png(array: np.ndarray, scale: int = 4) -> bytes:
    """PNG of a uint8 H x W x 3 array, enlarged ``scale`` times without smoothing."""
    image = Image.fromarray(array)
    image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def images_png(images: torch.Tensor, nrow: int | None = None, scale: int = 4) -> bytes:
    return png(grid_array(images, nrow or len(images)), scale)


def figure_png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=90, bbox_inches="tight")
    matplotlib.pyplot.close(fig)
    return out.getvalue()
