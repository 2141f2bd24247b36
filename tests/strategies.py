"""Hypothesis strategies for text that a newsroom tool meets, and worse: random Unicode
(no lone surrogates: decoded input never holds one), hostile pieces (NUL and other
control characters, CR/LF mixes, combining marks, emoji sequences, right-to-left text,
characters whose case-folding changes length, runs of stops, very long words) and news
sentences, so that the parts of the engine that only wake up on real prose run too."""

from hypothesis import strategies as st

HOSTILE = [
    "\x00",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\r\r\n",
    "\t",
    "\x0b\x0c",
    "\x1c\x1d\x1e",
    "\u0085",
    "\u2028",
    "\u2029",
    "e\u0301",
    "\u0301",  # a combining mark with nothing to combine with
    "a\u0308\u0323\u0301",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",  # a family: one emoji of five code points
    "\U0001f1eb\U0001f1f7",  # a flag
    "\U0001f44d\U0001f3fd",
    "\ufe0f",
    "\u200b\u200c\u200d",
    "\ufeff",
    "\u202e",  # right-to-left override
    "\u200f",
    "مرحبا بالعالم. قال المتحدث",
    "שָׁלוֹם עוֹלָם",
    "\u0130",  # İ: casefolds to two characters
    "\u00df\ufb01\u2163\u0663",  # ß, the fi ligature, a Roman numeral, an Arabic digit
    "\u2026",
    "\u201cQuoted,\u201d",
    "\u2019s",
    "\u2014",
    "Mr. ",
    "e.g. ",
    "U.S. ",
    "!!! ",
    "... ",
    "? ",
    " said ",
    " according to ",
    '"',
    "'",
    "(",
    "]",
]
NEWS = [
    "Meta will release LLaMA 3 next year, Mark Zuckerberg said. ",
    "According to three people familiar with the plans, the company is training a model. ",
    "The Financial Times, citing two sources, reported that Meta plans to charge for it. ",
    '"We are committed to open science," he told Reuters. ',
    "The model is reportedly free for research and commercial use. ",
    "Dr. Smith disagreed. ",
    "It is unclear whether regulators will act.\n\n",
    "The company said it would not comment. ",
    "Critics say the licence is not open source. ",
    "Revenue rose 12% to $4.2 billion in the third quarter, the group said. ",
]
LONG_PIECES = ["a", "\u00e9", "x-", "A.", "!", ".", "9", "\u0301", "\U0001f600", "\u05d0", " "]

long_runs = st.builds(
    lambda piece, n: piece * n, st.sampled_from(LONG_PIECES), st.integers(100, 2500)
)
chunks = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(HOSTILE),
    st.sampled_from(NEWS),
    long_runs,
)
texts = st.lists(chunks, max_size=25).map("".join)
sentences = st.lists(st.one_of(st.sampled_from(NEWS), texts), max_size=6)
