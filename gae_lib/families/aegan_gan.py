"""lazarou2022's GAN baseline: the AEGAN's generator and image discriminator alone, trained by
the AEGAN's step (eq. 2 only) with its settings (``gae_lib.families.aegan``)."""
from .aegan import variant
from .evaluation import samples_only

FAMILY = variant("aegan-gan", ("generator", "discriminator"), samples_only)
