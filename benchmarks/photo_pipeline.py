"""Measure the activity photo pipeline (twinning.lib.images.process_photo) on phone-sized
photos: how long the server spends per photo and how much it stores.

    .venv/bin/python benchmarks/photo_pipeline.py            # 12 MP JPEG, 3 runs
    .venv/bin/python benchmarks/photo_pipeline.py --size 8160x6120 --runs 5

The photo is made of smoothed noise, which compresses worse than a real photo: the
stored sizes are an upper bound. Prints a table; nothing is asserted.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402

from twinning.lib.images import process_photo  # noqa: E402


def phone_photo(width: int, height: int) -> bytes:
    noise = Image.frombytes("RGB", (width // 4, height // 4), os.urandom((width // 4) * (height // 4) * 3))
    photo = noise.resize((width, height), Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 48.0, 0.0)}  # a GPS position
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="4000x3000", help="width x height of the photo (default 4000x3000)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    data = phone_photo(width, height)
    print(f"input: {width}×{height} JPEG, {len(data) / 1024:.0f} kB")
    print(f"{'run':>3} {'ms':>7} {'stored kB':>10} {'thumb kB':>9} {'size':>11}")
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        result = process_photo(SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"))
        elapsed = (time.perf_counter() - start) * 1000
        print(
            f"{run:>3} {elapsed:>7.0f} {len(result.image) / 1024:>10.0f} {len(result.thumbnail) / 1024:>9.0f} "
            f"{result.width:>5}×{result.height:<5}"
        )


if __name__ == "__main__":
    main()
