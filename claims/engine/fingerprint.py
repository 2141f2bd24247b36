"""Near-duplicate detection for syndicated copies of one story.

Two outlets running the same wire story produce texts that differ in a sentence, a
dateline or a credit line. A 64-bit SimHash of the word 3-shingles moves by only a few
bits for such edits; cut into eight 8-bit bands, two copies within 7 bits of each other
share at least one band exactly, which is how candidates are looked up. Candidates are
then confirmed by the resemblance (Jaccard similarity) of their shingle sets.
"""

import hashlib

from claims.engine.text import tokenize

BITS = 64
BANDS = 8
CANDIDATE_BITS = 8  # fingerprints further apart than this are different stories
SAME_STORY_RESEMBLANCE = 0.5  # share of shingles two copies of one story have in common
_SHINGLE = 3


def shingles(text: str) -> set[str]:
    words = tokenize(text)
    return {" ".join(words[i : i + _SHINGLE]) for i in range(max(1, len(words) - _SHINGLE + 1))}


def _hash64(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The unsigned 64-bit SimHash of the text's word 3-shingles."""
    weights = [0] * BITS
    for shingle in shingles(text):
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


def resemblance(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' shingle sets, 0 to 1."""
    first, second = shingles(a), shingles(b)
    return len(first & second) / len(first | second) if first or second else 1.0


def same_story(a: str, b: str) -> bool:
    return resemblance(a, b) >= SAME_STORY_RESEMBLANCE


def to_signed(fingerprint: int) -> int:
    """As a signed 64-bit integer, the range databases store."""
    return fingerprint - (1 << 64) if fingerprint >= 1 << 63 else fingerprint


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
