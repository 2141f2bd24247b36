"""Near-duplicate detection for syndicated copies of one story (SimHash over shingles).

Two outlets running the same wire story produce texts that differ in a headline, a
byline or a closing line; their 64-bit fingerprints then differ in only a few bits.
"""

import hashlib

from claims.engine.text import tokenize

BITS = 64
BANDS = 4  # four 16-bit bands: two texts within 3 bits share at least one band exactly
NEAR_DUPLICATE_BITS = 3
_SHINGLE = 3


def _hash64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The unsigned 64-bit SimHash of the text's word 3-shingles."""
    words = tokenize(text)
    shingles = {" ".join(words[i : i + _SHINGLE]) for i in range(max(1, len(words) - 2))}
    weights = [0] * BITS
    for shingle in shingles:
        h = _hash64(shingle)
        for bit in range(BITS):
            weights[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(BITS) if weights[bit] > 0)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def bands(fingerprint: int) -> list[int]:
    """The fingerprint cut into BANDS equal bands, for finding candidates by equality."""
    width = BITS // BANDS
    return [(fingerprint >> (i * width)) & ((1 << width) - 1) for i in range(BANDS)]


def to_signed(fingerprint: int) -> int:
    """As a signed 64-bit integer, the range databases store."""
    return fingerprint - (1 << 64) if fingerprint >= 1 << 63 else fingerprint


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
