"""Demo pictures and documents drawn locally with Pillow (no downloads)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont

PALETTES = [
    ((120, 180, 230), (34, 120, 60), (70, 150, 70), (200, 170, 60)),
    ((250, 190, 120), (60, 110, 50), (100, 160, 80), (180, 120, 60)),
    ((160, 200, 235), (40, 100, 90), (90, 170, 110), (210, 200, 120)),
    ((200, 220, 240), (80, 120, 60), (130, 180, 90), (160, 110, 70)),
]


def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1
        return ImageFont.load_default()


def landscape(seed: str, motif: str = "fields", size=(1200, 675)) -> bytes:
    """A village scene: sky, sun, hills, terraces and a motif (houses, people, stalls, hall)."""
    rnd = random.Random(seed)
    w, h = size
    sky, hill_dark, hill_light, accent = rnd.choice(PALETTES)
    img = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(img)
    for y in range(h // 2):
        t = y / (h / 2)
        colour = tuple(int(c * (1 - 0.25 * t) + 255 * 0.25 * t) for c in sky)
        draw.line([(0, y), (w, y)], fill=colour)
    sx, sy = rnd.randint(w // 6, w - w // 6), rnd.randint(h // 10, h // 4)
    draw.ellipse([sx - 50, sy - 50, sx + 50, sy + 50], fill=(255, 230, 140))
    for layer, colour in enumerate((hill_dark, hill_light)):
        base = h // 2 + layer * h // 8
        points = [(0, h)]
        for x in range(0, w + 100, 100):
            points.append((x, base - rnd.randint(20, 120 - layer * 40)))
        points.append((w, h))
        draw.polygon(points, fill=colour)
    for i in range(8):
        y = int(h * 0.72) + i * 22
        draw.line([(0, y), (w, y - rnd.randint(-15, 15))], fill=accent, width=3)
    if motif == "houses":
        for _ in range(6):
            x = rnd.randint(40, w - 160)
            y = rnd.randint(int(h * 0.6), int(h * 0.78))
            draw.rectangle([x, y, x + 110, y + 70], fill=(235, 225, 205))
            draw.polygon([(x - 10, y), (x + 55, y - 45), (x + 120, y)], fill=(170, 70, 50))
            draw.rectangle([x + 45, y + 30, x + 65, y + 70], fill=(110, 70, 40))
    elif motif == "people":
        for _ in range(12):
            x = rnd.randint(40, w - 40)
            y = rnd.randint(int(h * 0.68), int(h * 0.9))
            shirt = (rnd.randint(40, 220), rnd.randint(40, 220), rnd.randint(40, 220))
            draw.ellipse([x - 12, y - 60, x + 12, y - 36], fill=(160, 110, 80))
            draw.rectangle([x - 16, y - 36, x + 16, y + 10], fill=shirt)
    elif motif == "hall":
        x0, y0 = w // 3, int(h * 0.5)
        draw.rectangle([x0, y0, x0 + w // 3, y0 + h // 4], fill=(245, 240, 225))
        draw.polygon(
            [(x0 - 30, y0), (x0 + w // 6, y0 - 90), (x0 + w // 3 + 30, y0)], fill=(150, 60, 40)
        )
        for i in range(5):
            cx = x0 + 30 + i * (w // 3 - 60) // 4
            draw.rectangle([cx - 8, y0 + 10, cx + 8, y0 + h // 4], fill=(200, 190, 170))
    elif motif == "stalls":
        for i in range(5):
            x = 60 + i * (w - 120) // 5
            y = int(h * 0.62)
            colour = (rnd.randint(150, 240), rnd.randint(60, 200), rnd.randint(40, 120))
            draw.rectangle([x, y, x + 160, y + 110], fill=(240, 235, 220))
            draw.polygon([(x - 10, y), (x + 80, y - 40), (x + 170, y)], fill=colour)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=78, optimize=True)
    return buffer.getvalue()


def portrait(seed: str, size=(480, 600)) -> bytes:
    """A neutral portrait placeholder: head and shoulders in the colours of an office photo."""
    rnd = random.Random(seed)
    w, h = size
    background = rnd.choice([(180, 40, 40), (40, 80, 160), (200, 200, 205)])
    img = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(img)
    skin = rnd.choice([(198, 150, 110), (170, 120, 85), (215, 170, 130)])
    uniform = rnd.choice([(200, 185, 150), (60, 60, 70), (250, 250, 250)])
    draw.ellipse([w * 0.08, h * 0.62, w * 0.92, h * 1.3], fill=uniform)
    draw.rectangle([w * 0.42, h * 0.5, w * 0.58, h * 0.66], fill=skin)
    draw.ellipse([w * 0.3, h * 0.16, w * 0.7, h * 0.58], fill=skin)
    draw.chord([w * 0.28, h * 0.1, w * 0.72, h * 0.42], 180, 360, fill=(30, 25, 25))
    if rnd.random() < 0.5:
        draw.rectangle([w * 0.3, h * 0.1, w * 0.7, h * 0.22], fill=(20, 20, 20))  # peci
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=80, optimize=True)
    return buffer.getvalue()


def document_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a title and a few lines of text."""
    img = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(img)
    draw.text((120, 140), title, fill="black", font=_font(40))
    y = 240
    for line in lines:
        draw.text((120, y), line, fill=(30, 30, 30), font=_font(28))
        y += 48
    buffer = io.BytesIO()
    img.save(buffer, format="PDF", resolution=150)
    return buffer.getvalue()
