"""An image as bytes, from what a training script has at hand."""

from __future__ import annotations

import io
import os
from typing import Any


def image_bytes(image: Any) -> tuple[bytes, str]:
    """The bytes and a file name of `image`: a path, bytes, a PIL image or a numpy
    array (the last two only when Pillow, and numpy, are installed)."""
    if isinstance(image, (bytes, bytearray)):
        return bytes(image), "image"
    if isinstance(image, (str, os.PathLike)):
        with open(image, "rb") as file:
            return file.read(), os.path.basename(os.fspath(image))
    try:
        from PIL import Image  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        raise TypeError("an image is a path or bytes; install Pillow for PIL images and "
                        "numpy arrays") from None
    if type(image).__module__.startswith("numpy"):
        image = Image.fromarray(image)
    if isinstance(image, Image.Image):
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue(), "image.png"
    raise TypeError(f"cannot log a {type(image).__name__} as an image")
