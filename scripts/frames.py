"""Contact sheet of a rendered video: the frames at the given times, two to a row, as one PNG.

    .venv/bin/python scripts/frames.py media/videos/neuron_chain/480p15/NeuronChain.mp4 sheet.png 2 8 100

Times past the end give the last frame. Prints the video's frame count and duration.
"""

from __future__ import annotations

import sys

import av
from PIL import Image

from backprop.media import frames_per_period


def contact_sheet(video: str, out: str, times: list[float], columns: int = 2) -> None:
    with av.open(video) as container:
        rate = float(container.streams.video[0].base_rate)
    frames = [frame.to_image() for frame in frames_per_period(video)]  # a held frame once per period
    print(f"{len(frames)} frames, {len(frames) / rate:.2f} s")
    picked = [frames[min(int(t * rate), len(frames) - 1)] for t in times]
    width, height = picked[0].size
    rows = -(-len(picked) // columns)
    sheet = Image.new("RGB", (width * columns, height * rows), "gray")
    for n, image in enumerate(picked):
        sheet.paste(image, ((n % columns) * width, (n // columns) * height))
    sheet.save(out)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    contact_sheet(sys.argv[1], sys.argv[2], [float(t) for t in sys.argv[3:]])
