"""The library's image grid is torchvision's make_grid (the book's figures and the training
snapshots were drawn with it), without the 2.5 s torchvision import."""
import pytest
import torch
from torchvision.utils import make_grid as torchvision_grid

from gae_lib.grid import make_grid


@pytest.mark.parametrize("n, channels, nrow, padding, pad_value", [
    (1, 1, 8, 2, 1.0), (5, 1, 8, 1, 0.5), (64, 1, 8, 2, 1.0), (10, 3, 4, 2, 0.0),
    (7, 3, 7, 0, 0.3), (3, 1, 12, 1, 0.5)])
def test_grid_equals_torchvision(n, channels, nrow, padding, pad_value):
    images = torch.rand(n, channels, 28, 28, generator=torch.Generator().manual_seed(n))
    ours = make_grid(images, nrow=nrow, padding=padding, pad_value=pad_value)
    assert torch.equal(ours, torchvision_grid(images, nrow=nrow, padding=padding,
                                              pad_value=pad_value))


@pytest.mark.parametrize("shape", [(28, 28), (2, 28, 28), (2, 2, 28, 28)])
def test_grid_names_the_shape_it_expects(shape):
    with pytest.raises(ValueError, match="N x C x H x W with C in"):
        make_grid(torch.zeros(shape))
