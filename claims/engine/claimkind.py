"""What kind of statement a claim is, and its canonical wording.

Kinds (as `claims.models.ClaimKind` names them): a *prediction* says what will happen
("will", "in the coming weeks", "is expected to", "imminent"); an *intent* says what
someone means to do ("wants to", "plans to", "aims to", "the goal is to"); an *opinion*
judges ("I think", "should", "the best"); anything else is a *fact*.

The canonical wording is the statement made to stand on its own: the attribution phrase
taken out ("Zuckerberg said that", ", according to the FT", "According to X,"), a leading
pronoun or "the company" replaced by what it stands for, capitalised, with a full stop.
"""

import re

from claims.engine.attribution import (
    AFTER,
    AROUND,
    BEFORE,
    ORGANISATION,
    PERSON,
    Attribution,
    fold,
)

FACT = "fact"
PREDICTION = "prediction"
INTENT = "intent"
OPINION = "opinion"
KINDS = (FACT, PREDICTION, INTENT, OPINION)

_OPINION = re.compile(
    r"\b(?:i|we)\s+(?:(?:do\s+)?(?:think|believe|feel|guess|suspect|reckon|doubt)|"
    r"am\s+(?:sure|convinced|confident))\b|\bin\s+(?:my|our)\s+(?:view|opinion)\b|"
    r"\bshould(?:n't|\s+not)?\b|\bought\s+(?:not\s+)?to\b|\bmust\s+not\b|"
    r"\b(?:i|we)\s+must\b",
    re.IGNORECASE,
)
_INTENT = re.compile(
    r"\b(?:wants?|wanted|wanting|plans?|planned|planning|intends?|intended|intending|aims?|"
    r"aimed|aiming|hopes?|hoped|hoping|seeks?|sought|seeking|tries|trying|tried|wish(?:es)?|"
    r"(?:is|are|was|were)\s+(?:looking|preparing|working|determined|keen|eager)|"
    r"prepares|preparing|strives|striving|means|meant|vows?|vowed|promises?|promised|"
    r"pledges?|pledged|commits?|committed)\s+to\b(?!\s+(?:the|a|an|its|their)\b)|"
    r"\b(?:goal|aim|ambition|intention|plan|mission|objective|purpose|strategy)\s+"
    r"(?:[\w'-]+\s+){0,6}?(?:is|was|are|were)\s+to\b|"
    r"\b(?:is|are)\s+(?:working\s+on|in\s+the\s+works|developing|building)\b",
    re.IGNORECASE,
)
_PREDICTION = re.compile(
    r"\b(?:will|won't|shall|'ll)\b(?!\s+of\b)|\bgoing\s+to\s+(?!the\b|a\b|an\b)\w|"
    r"\b(?:is|are|was|were|'s|'re)\s+(?:not\s+)?(?:expected|likely|unlikely|set|poised|"
    r"slated|due|about|bound|tipped|projected|forecast|scheduled)\s+to\b|"
    r"\bexpects?\s+to\b|\bforecasts?\b|\bpredicts?\b|"
    r"\b(?:in|within|over|during)\s+the\s+(?:coming|next|following)\s+(?:few\s+|\w+\s+)?"
    r"(?:days?|weeks?|months?|years?|decades?|quarters?)\b|"
    r"\bnext\s+(?:week|month|year|quarter|decade|spring|summer|autumn|fall|winter)\b|"
    r"\bimminent(?:ly)?\b|\bsoon\b|\bupcoming\b",
    re.IGNORECASE,
)
_NOT_MODAL_WILL = re.compile(
    r"\b(?:the|free|good|ill|political|his|her|their|own|its|a|of)\s+will\b", re.IGNORECASE
)
_EVALUATIVE = re.compile(
    r"\b(?:best|worst|greatest|great|terrible|awful|excellent|amazing|fantastic|wonderful|"
    r"horrible|brilliant|ridiculous|disgraceful|disgrace|shameful|outrageous|stupid|foolish|"
    r"genius|beautiful|ugly|impressive|disappointing|overrated|underrated|unfair|good|bad|"
    r"dangerous|reckless|irresponsible|incredible|pathetic|hopeless|perfect|remarkable|"
    r"silly|absurd|nonsense|fascinating|exciting|boring|useless|pointless|crazy|insane)\b",
    re.IGNORECASE,
)
_WOULD = re.compile(r"\bwould\b|\b'd\b", re.IGNORECASE)


def classify(text: str, *, reported: bool = False) -> str:
    """fact, prediction, intent or opinion. `reported`: the statement is reported
    speech, where "would" is a past "will" ("Meta said it would release ...")."""
    return explain(text, reported=reported)[0]


def explain(text: str, *, reported: bool = False) -> tuple[str, str | None]:
    """The kind and the words that decided it (None for a plain fact)."""
    folded = fold(text)
    if m := _OPINION.search(folded):
        return OPINION, m.group()
    if m := _INTENT.search(folded):
        return INTENT, m.group()
    for m in _PREDICTION.finditer(folded):
        if m.group().casefold() == "will" and _NOT_MODAL_WILL.search(
            folded, max(0, m.start() - 12), m.end()
        ):
            continue
        if m.group() == "Will" and m.start() == 0:
            continue  # a question, or someone named Will
        return PREDICTION, m.group()
    if reported and (m := _WOULD.search(folded)):
        return PREDICTION, m.group()
    if m := _EVALUATIVE.search(folded):
        return OPINION, m.group()
    return FACT, None


# ---- canonical wording ---------------------------------------------------------------

_OPENERS = re.compile(
    r"^(?:(?:however|but|and|so|still|meanwhile|also|moreover|furthermore|yet|now|indeed|"
    r"instead|nevertheless|nonetheless|separately|additionally|in\s+addition|in\s+this\s+way|"
    r"in\s+other\s+words|that\s+said|as\s+a\s+result|for\s+now|in\s+fact)\b,?\s*)+",
    re.IGNORECASE,
)
_THAT = re.compile(r"^that\s+", re.IGNORECASE)
_EXPLETIVE_IT = re.compile(
    r"^it(?:'s|\s+(?:is|was|seems|appears|remains|has\s+been|will\s+be|would\s+be|may\s+be|"
    r"might\s+be|could\s+be))\s+(?:not\s+|still\s+|now\s+|also\s+|very\s+|quite\s+)*"
    r"(?:clear|unclear|likely|unlikely|possible|impossible|important|necessary|true|false|"
    r"hard|easy|difficult|known|unknown|expected|said|reported|believed|thought|understood|"
    r"time|worth|a\s+bet|no\s+secret|a\s+secret|obvious|certain|uncertain|probable|"
    r"doubtful|open|up|too\s+early|early)\b",
    re.IGNORECASE,
)
_LEADING_REF = re.compile(
    r"^(?P<ref>it|they|he|she|we|the\s+(?:company|firm|group|startup|start-up|tech\s+giant|"
    r"social\s+media\s+giant|giant|corporation))\b(?P<tail>'s)?",
    re.IGNORECASE,
)
_GENERIC_THING = re.compile(
    r"^the\s+(?P<mods>(?:(?:new|next|upcoming|latest|planned|commercial|open-source|"
    r"forthcoming|coming|second|first|third|updated|improved|larger|smaller|rumoured|"
    r"rumored|ai|language)\s+){0,3})(?P<noun>model|models|product|system|service|app|chip|"
    r"device|platform|software|tool|chatbot|assistant|version|release|offering|llm)\b",
    re.IGNORECASE,
)
_SUBJECT_STOP = frozenset(
    """is are was were will would may might could can should must shall has have had does
    did do wants want plans plan intends aims hopes seeks needs remains remain seems
    appears says said reports announced 's 're has been being not also already still""".split()
)
_NOT_SUBJECT_START = frozenset(
    """whether if when while although because with in on for after before as despite by
    to there it they he she this that these those we i you however but and so what how
    why who which where according using an""".split()
)
_PRONOUN_KIND = {"he": PERSON, "she": PERSON, "it": ORGANISATION, "they": ORGANISATION}


def canonical_wording(
    sentence: str,
    attribution: Attribution | None = None,
    previous_subject: str | None = None,
    *,
    organisation: str | None = None,
) -> str:
    """The statement of `sentence` worded to stand alone.

    The attribution phrase (when it stands in this sentence) is cut out with the "that"
    after it; a leading "It"/"They"/"He"/"She" is replaced by `previous_subject` (or by the
    speaker, in "Zuckerberg said he would ..."), "The company" by `organisation` (else
    `previous_subject`), and "The model" becomes "Meta's model" when `organisation` is
    given. The first letter is capitalised and the sentence ends with a full stop.
    """
    text = sentence.strip()
    speaker = None  # the one who speaks in this sentence, for "he", "it" and "we"
    if attribution is not None and attribution.origin == 0 and attribution.phrase:
        start, end = attribution.start, attribution.end
        if sentence[start:end] == attribution.phrase:
            text = _cut(sentence, start, end, attribution.position)
            if attribution.verb != "according to":
                speaker = attribution
    text = _tidy(text)
    text = _OPENERS.sub("", text)
    text = _THAT.sub("", text)
    text = _resolve(text, speaker, previous_subject, organisation)
    return _finish(text)


def _cut(sentence: str, start: int, end: int, position: str) -> str:
    if position == BEFORE:
        return sentence[end:]
    if position == AFTER:
        return sentence[:start] + sentence[end:]
    if position == AROUND:
        left = sentence[:start].rstrip(" ,(")
        right = sentence[end:].lstrip(" ,)")
        if left.endswith('"') and right.startswith('"'):
            left, right = left[:-1].rstrip(" ,"), right[1:]
        return f"{left} {right}"
    return sentence


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    folded = fold(text)
    # Quotes: drop a pair that encloses the whole statement, and any left unpaired.
    bare = folded.rstrip(" .!?,")
    if folded.startswith('"') and bare.endswith('"') and folded.count('"') == 2:
        text = text[1 : len(bare) - 1] + text[len(bare) :]
    elif folded.count('"') == 1:
        at = folded.index('"')
        text = text[:at] + text[at + 1 :]
    text = re.sub(r"\s+([,.;:!?])", r"\1", text.strip())
    text = re.sub(r",+\s*([.!?;:]+|$)", r"\1", text)  # "..., ." left by a cut
    return text.strip(" ,;:")


def _resolve(
    text: str, speaker: Attribution | None, previous: str | None, organisation: str | None
) -> str:
    if _EXPLETIVE_IT.match(fold(text)):
        return text
    m = _LEADING_REF.match(fold(text))
    if m:
        ref = " ".join(m.group("ref").casefold().split())
        target = None
        if ref.startswith("the "):
            target = organisation or previous
        elif (
            speaker is not None
            and speaker.speaker
            and _PRONOUN_KIND.get(ref) == speaker.speaker_kind
            and speaker.position == BEFORE  # "Raman said she would ...": right after it
        ):
            target = speaker.speaker
        if target is None and ref == "we" and speaker is not None:
            target = speaker.speaker if speaker.speaker_kind == ORGANISATION else None
        if target is None and ref != "we":
            target = previous
        if target:
            target = _definite(target)
            tail = text[m.end() :]
            if m.group("tail"):  # "It's" -> "X is" (or "X has" before "been")
                if ref == "we":
                    return text
                verb = "has" if tail.lstrip().startswith("been") else "is"
                return f"{target} {verb}{tail}"
            if ref in {"they", "we"} and not _plural(target):
                tail = _singular_verb(tail)
            return target + tail
        return text
    if organisation and (g := _GENERIC_THING.match(text)):
        mods = g.group("mods")
        return f"{_possessive(organisation)} {mods}{g.group('noun')}{text[g.end() :]}"
    return text


def _definite(subject: str) -> str:
    """ "A new model" read again is "the new model"."""
    words = subject.split(" ", 1)
    if len(words) == 2 and words[0].casefold() in {"a", "an"}:
        return f"the {words[1]}"
    return subject


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _plural(subject: str) -> bool:
    last = subject.split()[-1].casefold()
    return last.endswith("s") and not last.endswith(("'s", "ss", "us"))


_THEY_VERBS = {"are": "is", "were": "was", "have": "has", "do": "does", "don't": "doesn't"}


def _singular_verb(tail: str) -> str:
    """ "They are planning" said of one company: "Meta is planning"."""
    m = re.match(r"^(\s+)(\S+)", tail)
    if m and m.group(2).casefold() in _THEY_VERBS:
        return m.group(1) + _THEY_VERBS[m.group(2).casefold()] + tail[m.end() :]
    return tail


def _finish(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    stripped = text.rstrip()
    if fold(stripped).endswith(('."', ".'", '!"', '?"')):
        return stripped
    if not stripped.endswith((".", "!", "?")):
        stripped = stripped.rstrip(",;:-") + "."
    return stripped


def leading_subject(wording: str) -> str | None:
    """The subject a statement opens with ("Meta", "The new model", "Meta's model"), or
    None when it opens with something else (a clause, a pronoun, "Whether ...")."""
    words = fold(wording).split()
    if not words or words[0].casefold().strip(",") in _NOT_SUBJECT_START:
        return None
    out = []
    for raw, word in zip(wording.split(), words, strict=False):
        low = word.casefold()
        if low in _SUBJECT_STOP or len(out) >= 6:
            break
        if word.endswith((",", ";", ":")):
            return None
        out.append(raw)
    if not out or len(out) == len(words):
        return None
    first = out[0]
    if not (first[0].isupper() or first[0].isdigit()):
        return None
    return " ".join(out)
