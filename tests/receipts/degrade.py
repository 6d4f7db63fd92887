"""What phones and scanners do to a receipt: tilt, blur, noise, low resolution, JPEG, a desk behind it."""
from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

import numpy as np


def rotate(image: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.choice((-1, 1)) * rng.uniform(0.8, 3.5)
    return image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(235, 235, 230))


def blur(image: Image.Image, rng: random.Random) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.6)))


def noise(image: Image.Image, rng: random.Random) -> Image.Image:
    pixels = np.asarray(image).astype(np.int16)
    grain = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(10, 22), pixels.shape)
    return Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8))


def low_resolution(image: Image.Image, rng: random.Random) -> Image.Image:
    scale = rng.uniform(0.5, 0.62)
    return image.resize((int(image.width * scale), int(image.height * scale)), Image.BILINEAR)


def phone_photo(image: Image.Image, rng: random.Random) -> Image.Image:
    """On a desk, slightly turned, with uneven light falling across it."""
    margin = rng.randint(60, 160)
    desk = Image.new("RGB", (image.width + 2 * margin, image.height + 2 * margin), (rng.randint(90, 150),) * 3)
    desk.paste(image, (margin + rng.randint(-20, 20), margin + rng.randint(-20, 20)))
    desk = desk.rotate(rng.uniform(-2.5, 2.5), resample=Image.BICUBIC, fillcolor=(110, 110, 110))
    light = Image.linear_gradient("L").resize(desk.size).rotate(rng.choice((0, 90, 180, 270)))
    shade = Image.new("RGB", desk.size, (60, 55, 50))
    return Image.composite(desk, shade, light.point(lambda v: 150 + v * 105 // 255))


def crumpled_stamp(image: Image.Image, rng: random.Random) -> Image.Image:
    """A second seal, over the figures this time."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    x, y, r = rng.randint(image.width // 3, image.width * 2 // 3), rng.randint(image.height // 2,
                                                                               image.height * 5 // 6), 70
    draw.ellipse((x - r, y - r, x + r, y + r), outline=(200, 20, 40, 150), width=6)
    draw.text((x - 40, y - 10), "收费专用章", fill=(200, 20, 40, 150))
    return Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def jpeg(image: Image.Image, rng: random.Random) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=rng.randint(45, 80))
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# each image gets the recipe at its position in the cycle, so every layout meets every harm
RECIPES = [
    ("rotate", "noise"),
    ("phone_photo", "blur"),
    ("low_resolution",),
    ("crumpled_stamp", "rotate", "blur"),
    ("phone_photo", "noise", "low_resolution"),
    ("blur", "crumpled_stamp"),
]
HARMS = {"rotate": rotate, "blur": blur, "noise": noise, "low_resolution": low_resolution,
         "phone_photo": phone_photo, "crumpled_stamp": crumpled_stamp}


def apply(image: Image.Image, recipe: tuple[str, ...], rng: random.Random) -> Image.Image:
    for harm in recipe:
        image = HARMS[harm](image, rng)
    return image
