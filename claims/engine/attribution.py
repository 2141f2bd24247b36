"""Who made a statement, and how it reached the article.

For each sentence of an article (read in order, so earlier sentences are context) this
finds the attribution: the speaker (a named person or organisation, a publication, or an
anonymous group with its count when stated), the outlet that reported it when the article
only relays it, the reporting verb, the hedge, and the attribution phrase exactly as
written with its character span in the sentence.

    Zuckerberg has announced that a new model is in the works.    (before the claim)
    A new model is in the works, Zuckerberg said.                  (after)
    A new model, Zuckerberg said, is in the works.                 (around)
    According to the FT, a new model is in the works.              ("according to")
    The model is said to generate code.                   (inherits the report before)
    He added that it would be free.                                (pronoun -> last person)
    The company said ... / The agency said ...     (the firm in focus / the body of that kind)

It is a small rule-based reader, not a parser: it looks for reporting verbs and
"according to", reads the noun phrase that stands as their subject (or object), and
accepts it only when that phrase can be a speaker. A sentence without a speaker gets no
attribution ("according to plan", "She told a story", "The said agreement").
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

PERSON = "person"
ORGANISATION = "organisation"
PUBLICATION = "publication"
ANONYMOUS = "anonymous"

BEFORE = "before"  # Zuckerberg said that X.
AFTER = "after"  # X, Zuckerberg said.
AROUND = "around"  # X, Zuckerberg said, Y.
INHERITED = "inherited"  # the phrase stands in an earlier sentence

# Typographic characters made plain, one character for one, so offsets stay valid.
_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Curly quotes, dashes and non-breaking spaces made plain; same length as `text`."""
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Attribution:
    """How one sentence's statement is attributed.

    speaker: "Mark Zuckerberg", "Meta", "Financial Times", or the anonymous group as
    written ("three sources familiar with the project"); None when the phrase names no
    one ("according to reports" has a speaker, "it is said that" has none).
    speaker_kind: person, organisation, publication or anonymous.
    outlet: the publication that relayed the statement ("Financial Times" for "the FT,
    citing three sources, reports"; also the speaker when the outlet speaks for itself).
    phrase, start, end: the attribution as written and its span in the sentence it stands
    in, which is this sentence when `origin` is 0 and an earlier one (-1: the previous)
    for an inherited attribution. others: further speakers of a coordination
    ("the FT and an insider report").
    """

    speaker: str | None
    speaker_kind: str | None
    anonymous_count: int | None
    outlet: str | None
    verb: str | None
    hedge: str | None
    phrase: str
    start: int
    end: int
    position: str
    origin: int = 0
    others: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "speaker": self.speaker,
            "speaker_kind": self.speaker_kind,
            "anonymous_count": self.anonymous_count,
            "outlet": self.outlet,
            "verb": self.verb,
            "hedge": self.hedge,
            "phrase": self.phrase,
            "start": self.start,
            "end": self.end,
            "position": self.position,
            "origin": self.origin,
            "others": list(self.others),
        }


# ---- words ------------------------------------------------------------------------------


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Reporting verbs that may take a clause without "that" ("He said the model is free").
_SAY = _set(
    """say says said claim claims claimed add adds added write writes wrote argue argues
    argued insist insists insisted predict predicts predicted warn warns warned estimate
    estimates estimated believe believes believed think thinks explain explains explained
    note notes noted tweet tweets tweeted suggest suggests suggested contend contends
    contended maintain maintains maintained stress stresses stressed emphasise emphasises
    emphasised emphasize emphasizes emphasized"""
)
# Reporting verbs that need "that", a colon, or the position after the statement.
_THAT = _set(
    """report reports reported announce announces announced state states stated confirm
    confirms confirmed reveal reveals revealed disclose discloses disclosed indicate
    indicates indicated acknowledge acknowledges acknowledged admit admits admitted
    concede concedes conceded conclude concludes concluded promise promises promised
    pledge pledges pledged vow vows vowed hint hints hinted signal signals signalled
    allege alleges alleged find finds found assert asserts asserted rule rules ruled"""
) | frozenset({"point out", "points out", "pointed out"})  # joined by `_tokens_for_verbs`
_TELL = _set("tell tells told")
_VERBS = _SAY | _THAT | _TELL
# Verbs that may follow the statement with the speaker after them: "..., says X."
_INVERTIBLE = _set(
    """say says said add adds added write writes wrote report reports reported explain
    explains explained note notes noted tell tells told claim claims claimed argue
    argues argued warn warns warned"""
)
# Between a subject and its verb: "Zuckerberg has already announced", "he also said".
_AUX_ADVERBS = _set(
    """has have had also already previously recently publicly privately indirectly
    directly later earlier first again repeatedly once separately further then now just
    yesterday today originally initially similarly likewise explicitly openly officially
    formally flatly apparently reportedly both all himself herself itself themselves too
    subsequently since meanwhile still even did does do in turn"""
)
_TIME_NOUNS = _set(
    """monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december week month year
    weekend morning afternoon evening night"""
)
_TIME_PREPS = _set("on in last this next earlier early late since")
_NEGATIONS = _set("not never n't no")
# Words that end a subject when walking left from its verb.
_CLAUSE_WORDS = _set(
    """that where when while which who whom as because but or after before if although
    though whereas so than whether what how why once until unless"""
)
_CLAUSE_PUNCT = frozenset(',;:"()[]-')
# A clause may follow a zero complement only when it starts like one.
_CLAUSE_STARTERS = _set(
    """it he she they we i there this these those the a an its their his her our my some
    many all no every each most several any one two three four five"""
)
_NOT_CLAUSES = _set("nothing so yes no hello goodbye little much otherwise anything")
# "told X that": the audiences a statement may be told to.
_AUDIENCES = _set(
    """reporters journalists analysts investors employees staff lawmakers legislators
    members audience audiences attendees delegates viewers listeners readers students
    him her them us me congress parliament shareholders users developers customers
    partners colleagues officials"""
)
# Gatherings one tells something to: "told a news conference", "told the audience".
_AUDIENCE_NOUNS = _set(
    """audience audiences conference briefing meeting hearing committee crowd rally summit
    forum panel event gathering session inquiry assembly"""
)
_DETERMINERS = _set("the a an this his her their its")
# "add" is also "add X to Y": a number or "a" after it starts no clause.
_ADD = _set("add adds added")
# Finite verbs after a bare noun phrase open a clause: "said prices would rise".
_FINITE = _set("is are was were has have had will would could can may might must should")
_DISCOURSE_OPENERS = _set(
    """however but and so still meanwhile also moreover furthermore yet now indeed
    instead nevertheless nonetheless separately additionally"""
)

_TITLES = _set(
    """ceo cto cfo coo cso cpo chief executive officer head president vice chairman
    chairwoman chair founder co-founder cofounder director manager spokesperson spokesman
    spokeswoman minister secretary senator sen sen. rep rep. representative governor
    mayor professor prof prof. dr dr. mr mr. mrs mrs. ms ms. analyst scientist researcher
    engineer economist lawyer attorney judge general commissioner chancellor prime leader
    boss partner investor editor reporter correspondent vp svp evp lead architect
    strategist adviser advisor official executive-director deputy lead-author author
    pioneer veteran"""
)
_NAME_PARTICLES = _set("de van von der den da di le la du bin al el ter")
_CONNECTORS = _set("of for the and & at on")

_PRONOUNS = {
    "he": PERSON,
    "she": PERSON,
    "him": PERSON,
    "her": PERSON,
    "it": ORGANISATION,
    "they": "group",
    "them": "group",
}
# Nouns for a business: "the company" points back to the business in focus, "it" too.
_COMPANY_NOUNS = _set(
    """company firm group giant startup start-up corporation conglomerate maker carmaker
    automaker chipmaker drugmaker developer business airline carrier platform retailer
    lender insurer manufacturer supplier operator utility lab laboratory"""
)
# Nouns for other bodies: "the agency" points back to one named "... Agency" or introduced
# as "the agency X"; when none was, the phrase names the body itself ("the government").
_BODY_NOUNS = _set(
    """organisation organization government ministry agency regulator authority department
    administration court tribunal bureau union association federation council commission
    committee bank institute university police parliament watchdog charity party board
    foundation fund nonprofit consultancy office"""
)
# ... and that introduce one by name: "the food delivery platform Dashly".
_ORG_DESCRIPTORS = (_COMPANY_NOUNS | _BODY_NOUNS | frozenset({"think tank"})) - {"developer"}
# Bodies a country has one of: "the government" said, with none named before, is itself.
_UNIQUE_BODIES = frozenset(
    {"government", "central bank", "police", "parliament", "treasury", "cabinet", "army"}
)
# Nouns that introduce a publication by name: "the regional broadcaster Radio Oost".
_OUTLET_NOUNS = _set(
    """newspaper paper daily tabloid broadcaster magazine weekly website site outlet
    publication channel station newswire podcast"""
) | frozenset({"news agency", "news site", "news website"})
# Definite phrases that point back to something named earlier.
_ORG_ANAPHORS = re.compile(
    r"^(?:the|this)\s+(?P<mods>(?:\w[\w-]*\s+){0,2}?)(?P<head>"
    + "|".join(sorted(map(re.escape, _COMPANY_NOUNS | _BODY_NOUNS), key=len, reverse=True))
    + r")$"
)
_OUTLET_ANAPHORS = re.compile(
    r"^(?:the|this)\s+(?:(?:\w[\w-]*)\s+){0,2}?(?:newspaper|paper|outlet|publication|"
    r"magazine|site|website|broadcaster|report|daily|news\s+agency|agency's\s+report)$"
)
_SPOKES = re.compile(
    r"^(?:(?:a|an|the|one)\s+)?(?:(?P<pre>[\w.'&-]+(?:\s+[\w.'&-]+){0,2})\s+)?"
    r"(?:spokesperson|spokesman|spokeswoman|representative|press\s+officer|statement|"
    r"press\s+release|blog\s+post|announcement)"
    r"(?:\s+(?:for|from|at|of|by)\s+(?P<post>.+))?$",
    re.IGNORECASE,
)
_DOCUMENTS = re.compile(
    r"^(?:(?:a|an|the|one|two|several|recent|new|media|press|news|published)\s+)*"
    r"(?P<pre>(?:[\w.'&-]+\s+){0,3}?)(?P<noun>reports?|study|studies|survey|analysis|"
    r"filing|filings|memos?|documents?|data|figures|estimates?|letters?|paper|results|findings|"
    r"statistics|assessment)"
    r"(?:\s+(?P<via>by|from|in|of|at|published\s+by|(?:seen|obtained|reviewed)\s+by)\s+"
    r"(?P<post>.+))?$",
    re.IGNORECASE,
)
# A document someone owns speaks for them: "its annual report", "the bureau's survey".
_OWNED_DOCUMENT = re.compile(
    r"^(?:(?P<pron>its|their|his|her)|(?P<owner>.+?)'s?)\s+(?P<mid>(?:[\w-]+\s+){0,3}?)"
    r"(?:reports?|study|survey|analysis|filings?|memos?|documents?|data|figures|estimates?|"
    r"letters?|results|findings|statistics|assessment|accounts|forecasts?|projections|"
    r"modelling|modeling|website|blog)\b",
    re.IGNORECASE,
)

_COUNTS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
    "a dozen": 12, "both": 2, "a pair of": 2, "a couple of": 2,
}  # fmt: skip
_COUNT_WORDS = "|".join(sorted((re.escape(k) for k in _COUNTS), key=len, reverse=True))
_ANONYMOUS = re.compile(
    rf"""^(?:(?P<det>the|these|those|such|other|the\s+other)\s+)?
    (?:(?P<count>(?:at\s+least\s+|as\s+many\s+as\s+)?(?:{_COUNT_WORDS}|\d+)|several|some|
        many|multiple|numerous|various|few|a\s+few|a\s+handful\s+of|a\s+number\s+of|
        dozens\s+of|more\s+than\s+(?:\w+)|most|other)\s+)?
    (?P<mods>(?:[\w.'&-]+\s+){{0,4}}?)
    (?P<noun>people|persons|person|sources|source|insiders|insider|officials|official|
        employees|employee|executives|executive|staffers|staff\s+members|individuals|
        individual|engineers|researchers|analysts|experts|observers|critics|investors|
        figures|whistleblowers?|lawyers|economists|scientists|doctors|residents|supporters|
        opponents|campaigners|activists|diplomats|witnesses|workers|traders|bankers|members|
        lawmakers|legislators|politicians|academics|advocates|aides|advisers|advisors|
        negotiators|managers|parents|teachers|nurses|farmers|users|customers|consumers)
    (?P<rest>\s+(?:familiar|close|with|who|briefed|knowledgeable|aware|at|in|from|inside|
        within|involved|working|speaking|on|of|told|privy|directly|involved)\b.*)?$""",
    re.IGNORECASE | re.VERBOSE,
)
_INSIDER_REPORT = re.compile(r"\binsider\s+(?:report|account|information)s?\b", re.IGNORECASE)

# Publications by their usual names; aliases map to the canonical name.
_OUTLETS = {
    "financial times": "Financial Times",
    "ft": "Financial Times",
    "the information": "The Information",
    "reuters": "Reuters",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "new york times": "The New York Times",
    "nyt": "The New York Times",
    "wall street journal": "The Wall Street Journal",
    "wsj": "The Wall Street Journal",
    "washington post": "The Washington Post",
    "guardian": "The Guardian",
    "the verge": "The Verge",
    "verge": "The Verge",
    "economist": "The Economist",
    "axios": "Axios",
    "techcrunch": "TechCrunch",
    "wired": "Wired",
    "cnbc": "CNBC",
    "cnn": "CNN",
    "bbc": "BBC",
    "associated press": "Associated Press",
    "ap": "Associated Press",
    "afp": "AFP",
    "semafor": "Semafor",
    "politico": "Politico",
    "business insider": "Business Insider",
    "forbes": "Forbes",
    "the atlantic": "The Atlantic",
    "ars technica": "Ars Technica",
    "venturebeat": "VentureBeat",
    "engadget": "Engadget",
    "the decoder": "The Decoder",
    "heise": "heise",
    "der spiegel": "Der Spiegel",
    "spiegel": "Der Spiegel",
    "handelsblatt": "Handelsblatt",
    "le monde": "Le Monde",
    "les echos": "Les Echos",
    "nikkei": "Nikkei",
    "south china morning post": "South China Morning Post",
    "al jazeera": "Al Jazeera",
    "fox news": "Fox News",
    "nbc news": "NBC News",
    "abc news": "ABC News",
    "cbs news": "CBS News",
    "sky news": "Sky News",
    "the telegraph": "The Telegraph",
    "daily mail": "Daily Mail",
    "vox": "Vox",
    "platformer": "Platformer",
    "the register": "The Register",
}
_OUTLET_SUFFIXES = _set("times post journal herald tribune gazette daily magazine news chronicle")

_KNOWN_ORGS = _set(
    """meta openai google microsoft apple amazon nvidia anthropic facebook alphabet tesla
    twitter ibm intel amd mistral deepmind samsung baidu alibaba tencent huawei bytedance
    tiktok netflix uber spacex xai cohere databricks salesforce oracle sony instagram
    whatsapp youtube linkedin github qualcomm arm adobe snap pinterest reddit spotify
    airbnb paypal visa mastercard disney nasa nato unesco unicef fda ftc sec doj fcc eu
    un who imf opec congress parliament osi"""
)
_KNOWN_ORG_PHRASES = frozenset(
    {
        "hugging face", "stability ai", "mistral ai", "google deepmind", "open source initiative",
        "european commission", "european union", "white house", "federal reserve",
        "united nations", "world health organization", "inflection ai", "scale ai",
    }
)  # fmt: skip
_ORG_SUFFIXES = _set(
    """inc inc. corp corp. corporation ltd ltd. llc plc group gmbh ag sa co co. company labs
    lab ai technologies technology systems foundation institute university college agency
    ministry department commission council committee association union bank fund
    government office court parliament congress senate administration authority
    initiative organisation organization network partners capital ventures holdings
    motors airlines pharmaceuticals police army party alliance consortium society board
    bureau service services federation"""
)
# Trades that end a company's name ("Kestrel Air", "Brennor Mining") but alone, at the
# start of a sentence, are only words ("Health officials said").
_TRADE_SUFFIXES = _set(
    """air airways aviation energy power transport logistics semiconductors electronics
    telecom insurance biotech therapeutics mining minerals metals steel oil gas chemicals
    foods brands industries resources shipping railways rail hotels media software games
    studios pharma health healthcare"""
)
_NOT_NAMES = _set(
    """the a an it this that these those however but and in on at if when while with
    according whether using for as its their his her he she they we i there here what
    which who why how after before since although though yet so also meanwhile still
    our your my new special by from to of last next one two three four five first
    then both each every many some such despite because"""
)


# ---- tokens -----------------------------------------------------------------------------

# A plural possessive inside a name keeps its apostrophe: "the Coal Workers' Union".
_TOKEN = re.compile(r"[^\W_]+(?:['\-.&][^\W_]+)*(?:(?<=s)'(?=\s+[A-Z]))?|\S")


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    start: int
    end: int
    low: str

    @property
    def word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def cap(self) -> bool:
        return self.text[0].isupper()


def _tokens(folded: str) -> list[_Tok]:
    return [
        _Tok(m.group(), m.start(), m.end(), m.group().casefold()) for m in _TOKEN.finditer(folded)
    ]


def _tokens_for_verbs(folded: str) -> list[_Tok]:
    """Tokens with a reporting verb of two words joined into one: "pointed out"."""
    toks = _tokens(folded)
    out: list[_Tok] = []
    for tok in toks:
        if out and tok.low == "out" and out[-1].low in {"point", "points", "pointed"}:
            prev = out.pop()
            tok = _Tok(folded[prev.start : tok.end], prev.start, tok.end, f"{prev.low} out")
        out.append(tok)
    return out


# ---- hedges -----------------------------------------------------------------------------

_HEDGE = re.compile(
    r"\b(?:(?:is|are|was|were|has\s+been|have\s+been)\s+(?:said|reported|believed|thought|"
    r"understood|rumou?red|alleged|expected|likely|unlikely|set|poised|slated|tipped)\s+to|"
    r"(?:appears?|seems?)\s+to|plans?\s+to|planning\s+to|reportedly|allegedly|purportedly|"
    r"apparently|possibly|probably|perhaps|likely|may|might|could)\b"
)
# A statement relayed without a new speaker: it takes the speaker of the sentence before.
_RELAY = re.compile(
    r"\b(?:(?:is|are|was|were|has\s+been|have\s+been)\s+(?:said|reported|believed|"
    r"understood|rumou?red|thought|alleged)\s+to|reportedly|allegedly|purportedly|"
    r"(?:it|this)\s+(?:is|was|has\s+been)\s+(?:said|reported|understood|believed)\s+that|"
    r"according\s+to\s+(?:the|these|those)\s+(?:sources?|people|insiders?|reports?|person))\b",
    re.IGNORECASE,
)
# "is said to": a passive reporting verb is a hedge, never an active attribution.
_PASSIVE_BEFORE = _set("is are was were be been being")


def find_hedge(sentence: str, span: tuple[int, int] | None = None) -> str | None:
    """The first hedge of the sentence as written ("may", "is said to", "reportedly"),
    outside `span` (an attribution phrase) when given."""
    folded = fold(sentence)
    for match in _HEDGE.finditer(folded):
        if span and span[0] <= match.start() < span[1]:
            continue
        if match.group().startswith("plan ") and _is_noun_plan(folded, match.start()):
            continue  # "the plan to ..." is a noun, not a hedge
        return " ".join(sentence[match.start() : match.end()].split())
    return None


def _is_noun_plan(folded: str, at: int) -> bool:
    before = folded[:at].rstrip().rsplit(" ", 1)[-1].casefold()
    return before in {"the", "a", "its", "their", "his", "her", "our", "this", "that"}


# ---- speakers ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker read from a noun phrase. `refers`: person, organisation, group or
    publication when the phrase points back to one named earlier ("he", "the company",
    "the sources", "the newspaper") and still has to be resolved."""

    name: str | None
    kind: str | None
    count: int | None = None
    outlet: str | None = None
    refers: str | None = None
    others: tuple[str, ...] = ()
    head: str | None = None  # for "the central bank": "central bank", what it points to


def _clean(phrase: str) -> str:
    return " ".join(phrase.replace("\u2019", "'").split()).strip(" ,.;:\"'")


def outlet_name(phrase: str) -> str | None:
    """The canonical name of a publication ("the FT" -> "Financial Times"), or None."""
    text = _clean(phrase)
    low = text.casefold()
    if low in _OUTLETS:
        return _OUTLETS[low]
    if low.startswith("the ") and low[4:] in _OUTLETS:
        return _OUTLETS[low[4:]]
    words = text.split()
    if (
        1 < len(words) <= 5
        and words[-1].casefold() in _OUTLET_SUFFIXES
        and all(w[0].isupper() or w.casefold() in {"the", "of"} for w in words)
    ):
        return " ".join(words[1:]) if low.startswith("the ") else text
    return None


def _described_outlet(phrase: str) -> str | None:
    """The publication in "the regional broadcaster Radio Oost", or None."""
    found = _described(_clean(phrase).split())
    return found.name if found is not None and found.kind == PUBLICATION else None


def _count(word: str | None) -> int | None:
    if not word:
        return None
    word = " ".join(word.casefold().split())
    for prefix in ("at least ", "as many as "):
        if word.startswith(prefix):
            word = word[len(prefix) :]
    if word.isdigit():
        return int(word)
    return _COUNTS.get(word)


def _is_name_word(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _person_shape(words: list[str]) -> bool:
    """ "Mark Zuckerberg", "Yann LeCun", "Jean-Luc de la Tour": two to four capitalised
    words, with name particles between."""
    core = [w for w in words if w.casefold() not in _NAME_PARTICLES]
    if not 2 <= len(core) <= 4 or words[0].casefold() in _NAME_PARTICLES:
        return False
    for w in core:
        bare = w[:-2] if w.endswith("'s") else w
        if not re.fullmatch(r"[A-Z](?:[a-z]+(?:[-'][A-Z]?[a-z]+)*(?:[A-Z][a-z]+)?|\.)", bare):
            return False
    return not any(w.casefold() in _NOT_NAMES | _ORG_SUFFIXES | _TRADE_SUFFIXES for w in core)


def _org_like(words: list[str]) -> bool:
    low = " ".join(words).casefold()
    if low in _KNOWN_ORG_PHRASES or (low.startswith("the ") and low[4:] in _KNOWN_ORG_PHRASES):
        return True
    if len(words) == 1 and words[0].casefold() in _KNOWN_ORGS:
        return True
    if words[-1].casefold() in _ORG_SUFFIXES or words[-1] in {"AI", "Labs"}:
        return True
    if len(words) > 1 and words[-1].casefold() in _TRADE_SUFFIXES:
        return True
    return (
        len(words) == 1
        and words[0].isupper()
        and 2 <= len(words[0]) <= 6
        and words[0] not in _NOT_ACRONYM_ORGS
    )


# Capitals that are not organisations.
_NOT_ACRONYM_ORGS = frozenset(
    "AI ML LLM LLMS API GPU GPUS CPU CEO CTO CFO IPO PR TV PC OK US UK VR AR IT AGI NLP".split()
)


def _possessive_strip(word: str) -> str:
    return word[:-2] if word.endswith("'s") else word


def classify_speaker(
    phrase: str,
    people: dict[str, str] | None = None,
    known: dict[str, tuple[str, str]] | None = None,
) -> Speaker | None:
    """What a noun phrase in speaker position is, or None when it cannot be a speaker.

    `people` maps surnames to the full names the article introduced ("Zuckerberg" ->
    "Mark Zuckerberg"), so a later "Zuckerberg said" is the same person; `known` maps the
    names of organisations and publications it introduced to (full name, kind), so a
    later "Kestrel said" is the airline "Kestrel Air"."""
    text = _clean(phrase)
    if not text:
        return None
    low = text.casefold()
    words = text.split()

    if low in _PRONOUNS:
        return Speaker(None, None, refers=_PRONOUNS[low])
    if low in {"i", "we", "you", "me", "us"}:
        return None

    # Coordinations: "the Financial Times and an insider report from June".
    parts = re.split(r"\s+and\s+|\s*&\s*", text) if " and " in text or "&" in text else []
    if len(parts) == 2 and not _org_like(words):
        first, second = (classify_speaker(p, people) for p in parts)
        if first and second and first.name and second.name:
            outlet = first.outlet or second.outlet
            return replace(first, outlet=outlet, others=(second.name,))

    if outlet := outlet_name(text):
        return Speaker(outlet, PUBLICATION, outlet=outlet)
    if _OUTLET_ANAPHORS.match(low):
        return Speaker(None, PUBLICATION, refers=PUBLICATION)
    if (m := _ORG_ANAPHORS.match(low)) and text[m.start("mods") :] == low[m.start("mods") :]:
        # ... in lower case: "the Rotterdam District Court" is a name, "the court" is not.
        head = (m.group("mods") + m.group("head")).strip()
        return Speaker(None, ORGANISATION, refers=ORGANISATION, head=head)
    if owned := _owned_document(text, people, known):
        return owned

    if _INSIDER_REPORT.search(text):
        return Speaker(text, ANONYMOUS)
    if (m := _ANONYMOUS.match(text)) and (found := _anonymous(text, m)):
        return found

    if m := _SPOKES.match(text):
        org = _org_in(m.group("post")) or _org_in(m.group("pre"))
        if org and (outlet := outlet_name(org)):
            return Speaker(outlet, PUBLICATION, outlet=outlet)
        if org:
            return Speaker((known or {}).get(org, (org,))[0], ORGANISATION)
        pre = (m.group("pre") or "").casefold()
        if not pre or pre in {"the company's", "its"}:
            return Speaker(None, ORGANISATION, refers=ORGANISATION)
        # "a company spokesperson", "a ministry spokesman": the body of that kind.
        noun = _possessive_strip(pre.split()[-1])
        if noun in _COMPANY_NOUNS or noun in _BODY_NOUNS:
            return Speaker(None, ORGANISATION, refers=ORGANISATION, head=noun)
    elif m := _DOCUMENTS.match(text):
        source = m.group("post") or m.group("pre").strip()
        via = " ".join((m.group("via") or "").casefold().split())
        if via.endswith(" by") and not via.startswith("published"):
            # "documents seen by the Leipziger Volkszeitung": a newspaper relays them.
            name = outlet_name(source) or _org_in(source)
            if name:
                return Speaker(name, PUBLICATION, outlet=name)
        outlet = outlet_name(source) if source else None
        if outlet:
            return Speaker(outlet, PUBLICATION, outlet=outlet)
        if source and (org := _org_in(source)):
            return Speaker((known or {}).get(org, (org,))[0], ORGANISATION)
        if m.group("post") and (author := classify_speaker(m.group("post"), people, known)):
            return author  # "results published by the agency", "an analysis by X"
        if m.group("noun").casefold().startswith("report"):
            if low.startswith(("the report", "this report")):
                return Speaker(None, PUBLICATION, refers=PUBLICATION)
            return Speaker(text, PUBLICATION)

    if described := _described(words):
        return described
    return _named(words, people or {}, known or {})


def _owned_document(
    text: str, people: dict[str, str] | None, known: dict[str, tuple[str, str]] | None
) -> Speaker | None:
    """The owner of "its annual report", "the bureau's monthly survey", as a speaker."""
    m = _OWNED_DOCUMENT.match(text)
    if m is None or any(w.casefold() in _TITLES for w in m.group("mid").split()):
        return None  # "Meta's head of data" is a person
    if pron := m.group("pron"):
        refers = PERSON if pron.casefold() in {"his", "her"} else ORGANISATION
        return Speaker(None, refers, refers=refers)
    owner = classify_speaker(m.group("owner"), people, known)
    return owner if owner is not None and owner.kind != ANONYMOUS else None


def _described(words: list[str]) -> Speaker | None:
    """A name after the noun for what it is: "the think tank Ember North", "grid operator
    NetWest" (organisations), "the regional broadcaster Radio Oost" (a publication)."""
    k = len(words)
    while k > 0 and _is_name_word(words[k - 1]) and words[k - 1].casefold() not in _TITLES:
        k -= 1
    if k == 0 or k == len(words) or len(words) - k > 4:
        return None
    kind = _descriptor_kind([w.casefold() for w in words[:k]])
    if kind is None:
        return None
    name = " ".join(_possessive_strip(w) for w in words[k:])
    if kind == PUBLICATION:
        name = outlet_name(name) or name
        return Speaker(name, PUBLICATION, outlet=name)
    return Speaker(name, ORGANISATION)


def _descriptor_kind(before: list[str]) -> str | None:
    """Whether the words before a name end in a noun that says what it is."""
    if not before:
        return None
    last, two = before[-1], " ".join(before[-2:])
    if two in _OUTLET_NOUNS or (last in _OUTLET_NOUNS and two != "news agency"):
        return PUBLICATION
    if two in _ORG_DESCRIPTORS or last in _ORG_DESCRIPTORS:
        return ORGANISATION
    return None


def _anonymous(text: str, m: re.Match) -> Speaker | None:
    noun = m.group("noun").casefold()
    mods = m.group("mods").strip()
    outlet = outlet_name(_possessive_strip(mods)) if mods else None
    count = _count(m.group("count"))
    if noun == "figures" and not m.group("rest"):
        return None  # "figures" are numbers here, not people
    if noun.startswith(("executive", "official")) and mods.casefold().endswith(
        ("chief", "chief operating", "chief financial")
    ):
        return None  # "Meta's chief executive" is a title
    if m.group("det") and not m.group("count") and not m.group("rest") and not mods:
        return Speaker(text, ANONYMOUS, refers="group")  # "the sources", "these people"
    return Speaker(text, ANONYMOUS, count=count, outlet=outlet)


def _org_in(phrase: str | None) -> str | None:
    """A named organisation or publication in a short phrase ("Meta", "the company's")."""
    if not phrase:
        return None
    words = [_possessive_strip(w) for w in _clean(phrase).split()]
    while words and words[0].casefold() in {"the", "a", "an"}:
        words = words[1:]
    if words and all(_is_name_word(w) or w.casefold() in _CONNECTORS for w in words):
        return " ".join(words)
    return None


def _named(
    words: list[str], people: dict[str, str], known: dict[str, tuple[str, str]]
) -> Speaker | None:
    """A proper name, with an optional title: "Meta CEO Mark Zuckerberg", "OpenAI",
    "Meta's head of AI", "the Open Source Initiative"."""
    if words[0].casefold() == "the" and len(words) > 1:
        words = words[1:]
    if len(words) > 9:
        return None
    titled = [i for i, w in enumerate(words) if _possessive_strip(w).casefold() in _TITLES]
    if titled and titled[-1] + 1 < len(words):
        # "Opposition energy spokesman Piotr Nowak": whatever qualifies the title, a
        # name after it is the speaker.
        rest = words[titled[-1] + 1 :]
        name = " ".join(rest)
        named = rest[0].casefold() not in _CONNECTORS and all(_is_name_word(w) for w in rest)
        if named and (_person_shape(rest) or name in people):
            return Speaker(people.get(name, name), PERSON)
    ok = all(
        _is_name_word(w) or w.casefold() in _CONNECTORS or w.casefold() in _TITLES
        or w.casefold() in _NAME_PARTICLES
        or (titled and k > 0 and words[k - 1].casefold() == "of")  # "head of research"
        for k, w in enumerate(words)
    )  # fmt: skip
    if not ok or not (titled or any(_is_name_word(w) for w in words)):
        return None
    if titled:
        last = titled[-1]
        rest = words[last + 1 :]
        if rest and rest[0].casefold() not in _CONNECTORS and all(_is_name_word(w) for w in rest):
            name = " ".join(rest)
            return Speaker(people.get(name, name), PERSON)
        # A title without a name: "Meta's head of AI", "the chief executive".
        return Speaker(None, PERSON, refers=PERSON)
    if any(w.casefold() in {"and", "&"} for w in words) and not _org_like(words):
        return None
    name = " ".join(_possessive_strip(w) for w in words)
    if name in people:
        return Speaker(people[name], PERSON)
    if name in known:
        full, kind = known[name]
        return Speaker(full, kind, outlet=full if kind == PUBLICATION else None)
    if outlet := outlet_name(name):
        return Speaker(outlet, PUBLICATION, outlet=outlet)
    if _org_like(words):
        return Speaker(name, ORGANISATION)
    if _person_shape(words):
        return Speaker(name, PERSON)
    if len(words) > 1:
        return Speaker(name, ORGANISATION)
    # One unknown name: "Zuckerberg" or "Nvidia"? Articles introduce people by their full
    # name first (which `people` then knows), so say no more than that it is a name.
    return Speaker(name, None)


# ---- mentions (context for pronouns) ----------------------------------------------------


def mentions(
    sentence: str, known: dict[str, tuple[str, str]] | None = None
) -> list[tuple[int, str, str]]:
    """Named people and organisations in a sentence: (offset, kind, name), in order.
    A sentence's first word counts only when it is a known organisation or part of a
    longer name, so "Special attention ..." names nobody. `known`: names the article
    introduced, as `classify_speaker` takes them."""
    return [m[:3] for m in _mentions(sentence, known or {})]


EMPLOYER = "employer"  # the role of "Saxony" in "Saxony's economy minister"


def _mentions(sentence: str, known: dict[str, tuple[str, str]]) -> list[tuple]:
    """`mentions` with a fourth item: the noun that says what it is ("platform" for "the
    food delivery platform Dashly", "agency" for "the National Food Safety Agency"),
    `EMPLOYER` for the employer in a title, or None."""
    folded = fold(sentence)
    toks = _tokens(folded)
    found: list[tuple] = []
    i = 0
    while i < len(toks):
        if not (toks[i].word and toks[i].cap):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and not toks[j - 1].text.endswith("'s"):
            t = toks[j]
            if t.word and t.cap and t.start == toks[j - 1].end + 1:
                j += 1
            elif (
                t.low in _NAME_PARTICLES | {"of"}
                and j + 1 < len(toks)
                and toks[j + 1].cap
                and toks[j + 1].word
            ):
                j += 2
            else:
                break
        words = [t.text for t in toks[i:j]]
        while words and words[0].casefold() in _NOT_NAMES:
            words = words[1:]
        offset = toks[j - len(words)].start if words else 0
        bare = " ".join(_possessive_strip(w) for w in words)
        before = [t.low for t in toks[max(0, i - 2) : i] if t.word]
        described = None
        if len(words) == j - i and i and bare.casefold() not in _TIME_NOUNS:
            described = _descriptor_kind(before)
        if words and words[-1].endswith("'s") and _title_follows(toks, j):
            found.append((offset, ORGANISATION, known.get(bare, (bare,))[0], EMPLOYER))
        elif described is not None:  # "the food delivery platform Dashly"
            two = " ".join(before[-2:])
            noun = two if two in _ORG_DESCRIPTORS | _OUTLET_NOUNS else before[-1]
            found.append((offset, described, outlet_name(bare) or bare, noun))
        elif words and bare in known:
            full, kind = known[bare]
            found.append((offset, kind, full, None))
        elif words:
            found.extend(_mention(words, offset))
        i = j
    return found


def _title_follows(toks: list[_Tok], j: int) -> bool:
    """Whether a title comes within two words of token j ("'s chief executive")."""
    return any(t.low in _TITLES for t in toks[j : j + 2])


def _mention(words: list[str], offset: int) -> list[tuple]:
    titled = [i for i, w in enumerate(words) if w.casefold() in _TITLES]
    out = []
    if titled:
        head, name = words[: titled[0]], words[titled[-1] + 1 :]
        if head and not _person_shape(head):  # "Corvid CEO ...": the employer
            head_name = " ".join(_possessive_strip(w) for w in head)
            kind = PUBLICATION if outlet_name(head_name) else ORGANISATION
            out.append((offset, kind, outlet_name(head_name) or head_name, EMPLOYER))
        if (name and _person_shape(name)) or (len(name) == 1 and _is_name_word(name[0])):
            out.append((offset, PERSON, " ".join(name), None))
        return out
    bare = [_possessive_strip(w) for w in words]
    name = " ".join(bare)
    if outlet_name(name):
        return [(offset, PUBLICATION, outlet_name(name), None)]
    if _org_like(bare):
        return [(offset, ORGANISATION, name, bare[-1].casefold())]
    if _person_shape(bare) and not any(w.isupper() for w in bare):
        return [(offset, PERSON, name, None)]
    return []


# ---- the reader -------------------------------------------------------------------------


@dataclass
class _Found:
    speaker: Speaker
    verb: str
    start: int  # phrase span in the folded sentence
    end: int
    position: str
    outlet: str | None = None  # from "told the FT", "in an interview with Reuters"


class Attributor:
    """Reads an article's sentences in order and attributes each one; remembers what
    earlier sentences named so pronouns, "the company" and relayed sentences resolve."""

    RELAY_REACH = 2  # sentences back an attribution may be inherited from

    def __init__(self) -> None:
        self.people: dict[str, str] = {}  # surname and full name -> full name
        self.last_person: str | None = None
        self.last_org: str | None = None
        self.last_outlet: str | None = None
        self.outlets: list[str] = []  # publications named so far, first first
        self.last_group: Attribution | None = None
        # Organisations and publications named so far (and short names: "Kestrel" for
        # "Kestrel Air") -> (full name, kind); what each organisation is ("agency").
        self.known: dict[str, tuple[str, str]] = {}
        self.org_nouns: dict[str, set[str]] = {}
        # The organisation the article is about at this point: the last one that spoke
        # or stood as a sentence's subject. "The company said" and "it added" mean it,
        # not a firm mentioned in passing ("an analyst at Norrsken Capital").
        self.focus_org: str | None = None
        self._last: tuple[int, Attribution] | None = None
        self._index = -1

    def feed(self, sentence: str) -> Attribution | None:
        """The attribution of the next sentence of the article."""
        self._index += 1
        found = self._find(sentence)
        attribution = None
        if found is not None:
            attribution = self._resolve(sentence, found)
        elif _RELAY.search(fold(sentence)) and self._last is not None:
            at, last = self._last
            # "is said to", "reportedly": hearsay, so it relays a report (a publication or
            # unnamed sources), not someone speaking on the record.
            reported = last.speaker_kind in {PUBLICATION, ANONYMOUS}
            if self._index - at <= self.RELAY_REACH and last.speaker is not None and reported:
                attribution = replace(
                    last,
                    hedge=find_hedge(sentence) or last.hedge,
                    position=INHERITED,
                    origin=last.origin + at - self._index,
                )
        self._remember(sentence, attribution)
        return attribution

    # -- finding --
    def _find(self, sentence: str) -> _Found | None:
        folded = fold(sentence)
        toks = _tokens_for_verbs(folded)
        found: list[_Found] = []
        for i, tok in enumerate(toks):
            if tok.low == "according" and i + 1 < len(toks) and toks[i + 1].low == "to":
                hit = self._according(folded, toks, i)
            elif tok.low in _VERBS:
                hit = self._verb(folded, toks, i)
            else:
                continue
            if hit is not None:
                found.append(hit)
        if not found:
            return None
        # A speaker in its own right beats a publication that only relays it.
        best = next((f for f in found if f.speaker.kind != PUBLICATION), found[0])
        if best.outlet is None:
            relays = [f for f in found if f is not best and f.speaker.kind == PUBLICATION]
            if relays and relays[0].speaker.name:
                best.outlet = relays[0].speaker.name
        return best

    def _speaker(self, folded: str, toks: list[_Tok], lo: int, hi: int) -> Speaker | None:
        if lo >= hi or hi - lo > 16:
            return None
        if toks[hi - 1].text.endswith("'s"):
            return None  # "Meta's claims that ..." is not Meta speaking
        phrase = folded[toks[lo].start : toks[hi - 1].end]
        return classify_speaker(phrase, self.people, self.known)

    def _according(self, folded: str, toks: list[_Tok], i: int) -> _Found | None:
        lo = i + 2
        hi = lo
        while hi < len(toks) and toks[hi].text not in {",", ";", ":", ".", "!", "?", '"', ")"}:
            hi += 1
        speaker = self._speaker(folded, toks, lo, hi)
        if speaker is None:
            return None
        start = toks[i].start
        if hi < len(toks) and toks[hi].text == "," and self._starts_clause(toks, i):
            return _Found(speaker, "according to", start, toks[hi].end, BEFORE)
        before = toks[i - 1].text if i else ""
        tail = hi >= len(toks) - 1 or toks[hi].text in {".", "!", "?", '"'}
        if before == "," and tail:
            return _Found(speaker, "according to", start, toks[hi - 1].end, AFTER)
        if before in {",", "("} and hi < len(toks) and toks[hi].text in {",", ")"}:
            return _Found(speaker, "according to", start, toks[hi - 1].end, AROUND)
        if not i or self._starts_clause(toks, i):
            return _Found(speaker, "according to", start, toks[hi - 1].end, BEFORE)
        return None

    @staticmethod
    def _starts_clause(toks: list[_Tok], i: int) -> bool:
        """Whether token i begins the sentence, perhaps after a discourse word or quote."""
        j = i - 1
        while j >= 0 and (
            toks[j].text in {'"', "'", "(", ","} or toks[j].low in _DISCOURSE_OPENERS
        ):
            j -= 1
        return j < 0

    def _verb(self, folded: str, toks: list[_Tok], i: int) -> _Found | None:
        verb = toks[i]
        prev = toks[i - 1] if i else None
        if prev is not None and (prev.low in _PASSIVE_BEFORE or prev.low == "to"):
            return None  # "is said to", "declined to say"
        if prev is not None and prev.low in _DETERMINERS:
            return None  # "the said agreement", "a report"
        if prev is not None and prev.text in {",", '"'} and verb.low in _INVERTIBLE:
            hit = self._inverted(folded, toks, i)
            if hit is not None:
                return hit
        # Walk left over auxiliaries, adverbs and times to the subject's last word.
        j = i - 1
        while j >= 0:
            low = toks[j].low
            if low in _NEGATIONS:
                return None
            if low in _AUX_ADVERBS:
                j -= 1
            elif low in _TIME_NOUNS and j > 0 and toks[j - 1].low in _TIME_PREPS:
                j -= 2  # "on Tuesday", "last week", "this year"
            else:
                break
        hi = j + 1
        lo = self._segment_start(toks, hi)
        if hi and toks[hi - 1].low in {"he", "she", "it", "they"}:
            lo = hi - 1  # a pronoun is the whole subject: "In Paris he told the audience"
        if lo == hi and hi >= 2 and toks[hi - 1].text == ",":
            # The subject ends in a parenthetical: "X, citing Y, reports", "X, a Z, said".
            hi -= 1
            lo = self._segment_start(toks, hi)
        cited: Speaker | None = None
        phrase_start = lo
        # "The FT, citing three people familiar with the project, reports that ..."
        if lo < hi and toks[lo].low == "citing" and lo >= 2 and toks[lo - 1].text == ",":
            cited = self._speaker(folded, toks, lo + 1, hi)
            hi = lo - 1
            lo = self._segment_start(toks, hi)
            phrase_start = lo
        speaker = self._speaker(folded, toks, lo, hi)
        if speaker is None and cited is None:
            # "Dr Anika Bauer, the agency's chief medical officer, said", "The bank,
            # which raised rates twice, has said": the name before the insertion speaks.
            lo, hi = self._before_insertion(toks, lo, hi, i)
            speaker = self._speaker(folded, toks, lo, hi) if lo < hi else None
            phrase_start = lo
        if speaker is None:
            return None
        # Appositions: "Meta's head of AI, Yann LeCun, said" / "Yann LeCun, Meta's head
        # of AI, said".
        if lo >= 2 and toks[lo - 1].text == ",":
            lo2 = self._segment_start(toks, lo - 1)
            other = self._speaker(folded, toks, lo2, lo - 1)
            if other is not None and lo2 < lo - 1:
                title_first = other.refers == PERSON and other.name is None
                if title_first and speaker.kind == PERSON and speaker.name:
                    phrase_start = lo2
                elif speaker.refers == PERSON and speaker.name is None and other.kind == PERSON:
                    speaker, phrase_start = other, lo2
        left = toks[phrase_start - 1].text if phrase_start else ""
        outlet = None
        if cited is not None:
            outlet = speaker.outlet or speaker.name
            speaker = cited
        after = self._complement(folded, toks, i)
        if after is None:
            return None
        kind, end, told, cited_after = after
        outlet = outlet or told
        if cited_after is not None:  # "X reported, citing two people, that ..."
            outlet = outlet or speaker.outlet or speaker.name
            speaker = cited_after
        start = toks[phrase_start].start
        verb_text = verb.low
        if kind in {"that", "colon", "zero"}:
            return _Found(speaker, verb_text, start, end, BEFORE, outlet)
        if kind == "end" and left in {",", '"', "'"}:
            return _Found(speaker, verb_text, start, end, AFTER, outlet)
        if kind == "comma":
            if left in {",", '"', "'"}:
                return _Found(speaker, verb_text, start, end, AROUND, outlet)
            nxt = self._after_comma(toks, folded, end)
            if not phrase_start and nxt == '"':  # Zuckerberg said, "We ..."
                return _Found(speaker, verb_text, start, end + 1, BEFORE, outlet)
        return None

    def _before_insertion(self, toks: list[_Tok], lo: int, hi: int, i: int) -> tuple[int, int]:
        """For a verb after ", <insertion>,": the span of the subject that opens the sentence
        before the insertion, or an empty span when there is none."""
        if not (hi < i and toks[hi].text == ","):
            return 0, 0  # the verb does not follow a closing comma
        c = lo - 1
        while c >= 0 and toks[c].text != "," and hi - c <= 24:
            if toks[c].text in {";", ":", '"', "."}:
                return 0, 0
            c -= 1
        if c <= 0 or toks[c].text != ",":
            return 0, 0
        start = self._segment_start(toks, c)
        if not self._starts_clause(toks, start) and start != 0:
            return 0, 0
        return start, c

    @staticmethod
    def _after_comma(toks: list[_Tok], folded: str, end: int) -> str:
        rest = folded[end:].lstrip()
        return rest[1:].lstrip()[:1] if rest.startswith(",") else ""

    @staticmethod
    def _segment_start(toks: list[_Tok], hi: int) -> int:
        lo = hi
        while lo > 0:
            t = toks[lo - 1]
            if t.text in _CLAUSE_PUNCT or t.text in {"'", '"'} or t.low in _CLAUSE_WORDS:
                break
            if t.low == "and" and not (
                lo < len(toks) and toks[lo].cap and lo >= 2 and toks[lo - 2].cap
            ):
                break
            lo -= 1
        return lo

    def _inverted(self, folded: str, toks: list[_Tok], i: int) -> _Found | None:
        """ "..., says an insider familiar with the company's strategy." """
        lo = i + 1
        hi = lo
        while hi < len(toks) and toks[hi].text not in {",", ";", ".", "!", "?", '"', ":"}:
            hi += 1
        if hi == lo:
            return None
        speaker = self._speaker(folded, toks, lo, hi)
        if speaker is None:
            return None
        tail = hi >= len(toks) - 1 or toks[hi].text in {".", "!", "?"}
        start = toks[i].start
        if tail:
            return _Found(speaker, toks[i].low, start, toks[hi - 1].end, AFTER)
        if toks[hi].text == "," and speaker.kind == PERSON and self._title_to_end(folded, toks, hi):
            # "..., said Mark Zuckerberg, Meta's chief executive."
            return _Found(speaker, toks[i].low, start, len(folded.rstrip().rstrip(".!?")), AFTER)
        if toks[hi].text == ",":
            rest = self._citing(folded, toks, hi)
            if rest is not None:
                cited, end = rest
                return _Found(cited, toks[i].low, start, end, AFTER, speaker.outlet or speaker.name)
            return _Found(speaker, toks[i].low, start, toks[hi - 1].end, AROUND)
        return None

    def _title_to_end(self, folded: str, toks: list[_Tok], comma: int) -> bool:
        """Whether a title alone follows the comma up to the end of the sentence."""
        end = len(toks)
        while end > comma + 1 and toks[end - 1].text in {".", "!", "?"}:
            end -= 1
        if end <= comma + 1 or any(t.text in {",", ";"} for t in toks[comma + 1 : end]):
            return False
        title = self._speaker(folded, toks, comma + 1, end)
        if title is None and toks[end - 1].low in _TITLES:
            return True  # "Meta's chief executive"
        return title is not None and title.refers == PERSON and title.name is None

    def _citing(self, folded: str, toks: list[_Tok], comma: int) -> tuple[Speaker, int] | None:
        """ ", citing two people familiar with the matter" up to the sentence end."""
        if comma + 1 >= len(toks) or toks[comma + 1].low != "citing":
            return None
        lo = comma + 2
        hi = lo
        while hi < len(toks) and toks[hi].text not in {",", ";", ".", "!", "?"}:
            hi += 1
        cited = self._speaker(folded, toks, lo, hi)
        if cited is None or hi < len(toks) - 1:
            return None
        return cited, toks[hi - 1].end

    def _complement(self, folded: str, toks: list[_Tok], i: int):
        """What follows the verb: ("that"|"colon"|"zero"|"end"|"comma", phrase end, outlet
        told) or None when the verb does not introduce a statement."""
        verb = toks[i]
        k = i + 1
        told = None
        end = verb.end
        if verb.low in _TELL:
            k = self._object(toks, k)
            if k is None:
                return None  # "She told a story about dragons."
            obj = folded[toks[i + 1].start : toks[k - 1].end]
            told = outlet_name(obj) or _described_outlet(obj)
            end = toks[k - 1].end
        # Adverbials before the complement: "said in a statement on Tuesday that".
        j = k
        while j < len(toks) and j - k <= 12:
            t = toks[j]
            if t.low == "that" or t.text in {":", ",", ".", "!", "?", ";", '"'}:
                break
            noun = j > k and toks[j - 1].low in _DETERMINERS  # "in a report published"
            if (t.low in _VERBS and not noun) or (j == k and not self._adverbial_start(toks, j)):
                break
            j += 1
        adverbial = j > k and (j == len(toks) or toks[j].low == "that" or toks[j].text in ':,.!?;"')
        if adverbial and j > k:
            phrase = folded[toks[k].start : toks[j - 1].end]
            if m := re.search(r"\binterview\s+with\s+(.+)$", phrase, re.IGNORECASE):
                told = told or outlet_name(m.group(1))
            if m := re.search(r"\b(?:to|on)\s+(.+)$", phrase, re.IGNORECASE):
                told = told or outlet_name(m.group(1))
            k, end = j, toks[j - 1].end
        if k >= len(toks):
            return ("end", end, told, None)
        t = toks[k]
        if t.low == "that":
            return ("that", t.end, told, None)
        if t.text == ":":
            return ("colon", t.end, told, None)
        if t.text in {".", "!", "?"} and k >= len(toks) - 2:
            return ("end", end, told, None)
        if t.text == ",":
            if (rest := self._citing(folded, toks, k)) is not None:
                return ("end", rest[1], told, rest[0])
            nxt = toks[k + 1] if k + 1 < len(toks) else None
            if nxt is not None and nxt.low == "citing":
                # "The FT reported, citing three people, that Meta ..."
                m = k + 2
                while m < len(toks) and toks[m].text != ",":
                    m += 1
                if m + 1 < len(toks) and toks[m + 1].low == "that":
                    cited = self._speaker(folded, toks, k + 2, m)
                    return ("that", toks[m + 1].end, told, cited)
                return None
            # "he told the audience, according to Les Echos, that ...": an aside, then "that".
            m = k + 1
            while m < len(toks) and m - k <= 14 and toks[m].text not in {",", ".", ";", '"'}:
                m += 1
            if (
                m > k + 1
                and m + 1 < len(toks)
                and toks[m].text == ","
                and toks[m + 1].low == "that"
            ):
                return ("that", toks[m + 1].end, told, None)
            return ("comma", end, told, None)
        if t.text == '"' and k + 1 < len(toks) and toks[k - 1].text != '"':
            return ("zero", end, told, None) if verb.low in _SAY else None
        if (verb.low in _SAY and k == i + 1) or (verb.low in _TELL and k > i + 1):
            if t.low in _NOT_CLAUSES:
                return None
            if verb.low in _ADD and (t.text[0].isdigit() or t.low in {"a", "an", "more"}):
                return None  # "Employers added 58,000 jobs", "Corvid added a shift"
            if (t.low in _CLAUSE_STARTERS or t.cap or t.text[0].isdigit()) and len(toks) - k >= 4:
                return ("zero", end, told, None)
            if self._bare_subject(toks, k):  # "said regulators were likely to ..."
                return ("zero", end, told, None)
        return None

    @staticmethod
    def _bare_subject(toks: list[_Tok], k: int) -> bool:
        """Whether a clause opens at k with a plain noun phrase and its finite verb: "prices
        would rise", "regulators were likely to"."""
        for m in range(k, min(k + 3, len(toks) - 2)):
            t = toks[m]
            if not t.word or t.cap or t.low in _PREPOSITIONS or t.low in _NOT_CLAUSES:
                return False
            if toks[m + 1].low in _FINITE:
                return True
        return False

    @staticmethod
    def _adverbial_start(toks: list[_Tok], j: int) -> bool:
        low = toks[j].low
        if low in {"this", "last", "next"}:
            return j + 1 < len(toks) and toks[j + 1].low in _TIME_NOUNS
        return low in _PREPOSITIONS

    @staticmethod
    def _object(toks: list[_Tok], k: int) -> int | None:
        """The end of the object of "told": a name, a publication, an audience."""
        if k >= len(toks):
            return None
        t = toks[k]
        if t.low in _AUDIENCES:
            return k + 1
        if t.low in _DETERMINERS:
            # "the audience", "a news conference", "the regional broadcaster Radio Oost"
            m = k + 1
            while m < len(toks) and m - k <= 3 and toks[m].word and not toks[m].cap:
                if toks[m].low in _AUDIENCE_NOUNS:
                    return m + 1
                m += 1
            words = [tk.low for tk in toks[k + 1 : m]]
            if m > k + 1 and m < len(toks) and toks[m].cap and _descriptor_kind(words):
                while m < len(toks) and toks[m].cap and toks[m].word:
                    m += 1
                return m
        if t.low == "the" and k + 1 < len(toks) and toks[k + 1].cap:
            k += 1
        elif not (t.cap and t.word):
            return None
        while k < len(toks) and toks[k].cap and toks[k].word:
            k += 1
        return k

    # -- resolving --
    def _resolve(self, sentence: str, found: _Found) -> Attribution:
        speaker = found.speaker
        name, kind, count = speaker.name, speaker.kind, speaker.count
        outlet = found.outlet or speaker.outlet
        if speaker.refers is not None:
            name, kind, count, ref_outlet = self._refer(sentence, found, speaker.refers)
            outlet = outlet or ref_outlet
            if name is None and speaker.name is not None:  # nothing earlier to point to
                name, kind, count = speaker.name, speaker.kind, speaker.count
        if kind == PUBLICATION and name:
            name = self._outlet(name)
            outlet = outlet or name
        outlet = self._outlet(outlet) if outlet else None
        phrase = sentence[found.start : found.end]
        return Attribution(
            speaker=name,
            speaker_kind=kind,
            anonymous_count=count,
            outlet=outlet,
            verb=found.verb,
            hedge=find_hedge(sentence, (found.start, found.end)),
            phrase=phrase,
            start=found.start,
            end=found.end,
            position=found.position,
            others=speaker.others,
        )

    def _outlet(self, name: str) -> str:
        """A short name for a publication named before: "the Post" -> "Morning Post"."""
        if name in self.outlets:
            return name
        last = name.split()[-1]
        fuller = [o for o in self.outlets if o.endswith(" " + last) and len(o) > len(name)]
        return fuller[0] if len(fuller) == 1 else name

    def _refer(self, sentence: str, found: _Found, refers: str):
        """(name, kind, count, outlet) of the one a pronoun or definite phrase points to:
        someone named earlier in this sentence first, else in the sentences before."""
        earlier = [m for m in _mentions(sentence, self.known) if m[0] < found.start]
        if refers == PERSON:
            people = [m for m in earlier if m[1] == PERSON]
            name = self.people.get(people[-1][2], people[-1][2]) if people else self.last_person
            return name, PERSON, None, None
        if refers == ORGANISATION:
            return self._refer_org(earlier, found.speaker.head), ORGANISATION, None, None
        if refers == PUBLICATION:
            outlets = [m for m in earlier if m[1] == PUBLICATION]
            name = outlets[-1][2] if outlets else self.last_outlet
            return name, PUBLICATION, None, name
        group = self.last_group
        if group is not None:
            return group.speaker, ANONYMOUS, group.anonymous_count, group.outlet
        if found.speaker.name is not None:  # "the sources", and no sources yet
            return None, None, None, None
        return self._refer_org(earlier, None), ORGANISATION, None, None

    def _refer_org(self, earlier: list[tuple], head: str | None) -> str | None:
        """The organisation "it", "the company" or "the agency" points to (head: the
        phrase without its article, "central bank"; None for a pronoun)."""
        noun = head.split()[-1] if head else None
        named = [(m[2], {m[3]}) for m in earlier if m[1] == ORGANISATION and m[3] != EMPLOYER]
        if noun is None or noun in _COMPANY_NOUNS:
            return named[-1][0] if named else self.focus_org or self.last_org
        mods = head.split()[:-1]
        before = list(reversed(named)) + list(reversed(self.org_nouns.items()))

        def fits(name: str, nouns: set, strict: bool) -> bool:
            words = {w.casefold() for w in name.split()}
            return noun in nouns | words and (not strict or all(w in words for w in mods))

        for name, nouns in before:
            if fits(name, nouns, strict=True):
                return name
        if head in _UNIQUE_BODIES:
            return head  # "the central bank", none named before: itself
        return next((name for name, nouns in before if fits(name, nouns, False)), head)

    def _know(self, name: str, kind: str, noun: str | None = None) -> None:
        """Remember a named organisation or publication, with a short name for "Kestrel
        Air" ("Kestrel") and the nouns that say what it is, most recent last."""
        self.known.setdefault(name, (name, kind))
        words = name.split()
        if len(words) > 1 and all(
            w.casefold() in _ORG_SUFFIXES | _TRADE_SUFFIXES for w in words[1:]
        ):
            self.known.setdefault(words[0], (name, kind))
        if kind == ORGANISATION:
            nouns = self.org_nouns.pop(name, set())
            nouns.add(words[-1].casefold())
            if noun and noun != EMPLOYER:
                nouns.add(noun)
            self.org_nouns[name] = nouns

    def _remember(self, sentence: str, attribution: Attribution | None) -> None:
        folded = fold(sentence)
        for offset, kind, name, noun in _mentions(sentence, self.known):
            if kind == PERSON:
                full = self.people.get(name, name)
                if " " in full:
                    self.people[full] = full
                    self.people.setdefault(full.split()[-1], full)
                self.last_person = full
            elif kind == ORGANISATION:
                self.last_org = name
                self._know(name, kind, noun)
                if noun != EMPLOYER and _opens(folded, offset):
                    self.focus_org = name
            elif kind == PUBLICATION:
                self.last_outlet = self._outlet(name)
                self._know(self.last_outlet, kind, noun)
                if self.last_outlet not in self.outlets:
                    self.outlets.append(self.last_outlet)
        if attribution is None:
            return
        if attribution.speaker_kind == PERSON and attribution.speaker:
            self.last_person = attribution.speaker
            if " " in attribution.speaker:
                self.people.setdefault(attribution.speaker.split()[-1], attribution.speaker)
        elif attribution.speaker_kind == ORGANISATION and attribution.speaker:
            self.last_org = self.focus_org = attribution.speaker
            self._know(attribution.speaker, ORGANISATION)
        elif attribution.speaker_kind == ANONYMOUS and attribution.speaker:
            self.last_group = attribution
        if attribution.outlet:
            self.last_outlet = attribution.outlet
            if attribution.outlet not in self.outlets:
                self.outlets.append(attribution.outlet)
        if attribution.position != INHERITED:
            self._last = (self._index, attribution)


def _opens(folded: str, offset: int) -> bool:
    """Whether a name at `offset` opens the sentence (its subject, or the owner of it:
    "Aldermoor's shares rose"), after at most "the" and a discourse word."""
    words = re.findall(r"[^\W_]+", folded[:offset].casefold())
    return all(w == "the" or w in _DISCOURSE_OPENERS for w in words)


_PREPOSITIONS = _set(
    """in on at during earlier late early yesterday today via through before
    after over to from with without publicly privately on monday tuesday wednesday
    thursday friday saturday sunday onstage again recently also repeatedly"""
)


def attribute_sentences(sentences: Iterable[str]) -> list[Attribution | None]:
    """The attribution of each sentence of an article, read in order."""
    reader = Attributor()
    return [reader.feed(s) for s in sentences]


def attribute(sentence: str, previous: Sequence[str] = ()) -> Attribution | None:
    """The attribution of `sentence`, with the sentences before it as context."""
    reader = Attributor()
    for earlier in previous:
        reader.feed(earlier)
    return reader.feed(sentence)
