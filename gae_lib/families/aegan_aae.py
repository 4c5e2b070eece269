"""lazarou2022's AAE baseline: the AEGAN's generator, encoder and latent discriminator,
trained by the AEGAN's step (eq. 4 and the L1 image reconstruction of eq. 6) with its
settings (``gae_lib.families.aegan``)."""
from .aegan import variant
from .evaluation import reconstruction_and_samples

FAMILY = variant("aegan-aae", ("generator", "encoder", "latent_discriminator"),
                 reconstruction_and_samples)
