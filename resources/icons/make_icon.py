"""Draw the app icon (resources/icons/pos_app.png + .ico): a WeChat-green tile with 收.

    .venv/bin/python resources/icons/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def main() -> None:
    size = 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8, 8, size - 8, size - 8), radius=48, fill=(7, 193, 96, 255))
    font = ImageFont.truetype(FONT, 170)
    box = d.textbbox((0, 0), "收", font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text(((size - w) / 2 - box[0], (size - h) / 2 - box[1]), "收", font=font, fill="white")
    img.save(HERE / "pos_app.png")
    img.save(HERE / "pos_app.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (256, 256)])


if __name__ == "__main__":
    main()
