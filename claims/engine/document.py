"""An article prepared once for every claim it is compared with."""

from dataclasses import dataclass, field

from claims.engine.text import Span, split_sentences, terms


@dataclass
class Document:
    """A text split into sentences, each with its content terms. Matching and stance both
    read it, so an article is analysed once however many claims it is checked against."""

    text: str
    sentences: list[Span]
    sentence_terms: list[list[str]]
    cache: dict = field(default_factory=dict, repr=False)  # per-document memo for models

    @classmethod
    def parse(cls, text: str) -> "Document":
        sentences = split_sentences(text)
        return cls(text, sentences, [terms(s.text) for s in sentences])

    @property
    def terms(self) -> list[str]:
        return [t for sentence in self.sentence_terms for t in sentence]
