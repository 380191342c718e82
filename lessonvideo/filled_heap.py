"""Heap memory handed out filled with one byte, so that a render's video bytes are the same every run.

x264's macroblock tree (on in every preset but ``ultrafast``) reads memory it never wrote when a
short segment ends on B-frames: the same frames then encode to different bytes from run to run,
depending on what the heap held before. Measured on NeuronChain: rendered twice with glibc's
malloc perturb byte set to 85 and to 170 (``GLIBC_TUNABLES=glibc.malloc.perturb=N``), its frames
before encoding are identical, its video is not (a few keyframes differ); with the macroblock tree
off, or without B-frames, the bytes agree. Both cost more than this module does: at the same size,
no macroblock tree loses 2 to 3 dB on a held formula, no B-frames needs 40 to 50 % more bytes.

glibc's ``M_PERTURB`` fills every block ``malloc`` hands out (and every freed one) with a fixed
byte, whatever the heap held; ``calloc`` and blocks mapped from the kernel are zero anyway. The
price is a memset of each block: 7 % more CPU at 480p15 and 8 % at 1080p60 (three scenes built
with and without it in one run, ``bench/results/``). Other C libraries are left as they are.
"""

from __future__ import annotations

import ctypes
import functools
import platform

__all__ = ["fill_new_heap_blocks"]

M_PERTURB = -6  # mallopt parameter, from glibc's <malloc.h>
FILL = 0xA5  # any byte but 0 (0 turns the option off)


@functools.cache
def fill_new_heap_blocks() -> bool:
    """From now on, in this process, fill each heap block with :data:`FILL` when it is handed out
    (glibc only). Returns whether it is on. Call it before the encoders open."""
    if platform.libc_ver()[0] != "glibc":
        return False
    return bool(ctypes.CDLL(None).mallopt(M_PERTURB, FILL))
