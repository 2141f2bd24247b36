"""Extracting the article from a page: text, metadata and sanitised HTML from the fixture
pages (boilerplate, AMP, metadata-only date, hostile markup, old encodings, broken
markup, plain text), read directly and through the local test site."""

import socket
from datetime import UTC, datetime, timedelta, timezone

import lxml.html
import pytest

from articles.extraction import (
    ALLOWED_TAGS,
    Extracted,
    ExtractionError,
    extract_article,
    extract_plain_text,
    parse_datetime,
    sanitise_html,
)
from articles.fetching import fetch
from tests.articles.test_fetching import Site, page

HARBOUR = "https://harbourgazette.example/news/2024/02/ferry-fares-rise"
PAGES = {
    "boilerplate.html": {
        "url": HARBOUR + "?utm_source=newsletter#comments",
        "canonical_url": HARBOUR,
        "title": "Ferry fares to rise 12% in spring, port authority says",
        "author": "Amira Okafor",
        "published_at": datetime(2024, 2, 14, 7, 45, tzinfo=UTC),
        "site_name": "The Harbour Gazette",
        "language": "en",
        "present": [
            "Passengers on the Eastbank ferry will pay 12% more for a single crossing from the "
            "first of April, the Harbour Port Authority said on Tuesday",
            "Commuters object",
            "a full breakdown would appear in its annual report in June.",
        ],
        "absent": [
            "cookies",
            "Manage preferences",
            "Subscribe from",
            "Related stories",
            "Bridge tolls frozen",
            "harbourwatcher",
            "Twelve percent is outrageous",
            "morning briefing",
            "Privacy policy",
            "dataLayer",
        ],
    },
    "amp.html": {
        "url": "https://ledger.example/amp/business/2023/09/mill-reopens",
        "canonical_url": "https://ledger.example/business/2023/09/mill-reopens",
        "title": "Old textile mill to reopen as a maker space after city grant",
        "author": "Tomasz Wiśniewski",
        "published_at": datetime(2023, 9, 18, 20, 20, tzinfo=UTC),
        "site_name": "The Northern Ledger",
        "language": "en",
        "present": [
            "The Ashworth mill, empty since its last looms stopped in 1998",
            "a loan from a regional development bank.",
        ],
        "absent": ["amp-start", "visibility", "Georgia", "© The Northern Ledger"],
    },
    "metadata_date.html": {
        "url": "https://courrier-lac.example/region/piste-cyclable-lac?page=1",
        "canonical_url": "https://courrier-lac.example/region/piste-cyclable-lac",
        "title": "Une piste cyclable fera le tour du lac d'ici 2026",
        "author": "Claire Dumontet",
        "published_at": datetime(2023, 11, 2, tzinfo=UTC),  # a date alone: midnight UTC
        "site_name": "Le Courrier du Lac",
        "language": "fr",
        "present": [
            "Le conseil intercommunal a voté jeudi soir",
            "l'été 2026",
        ],
        "absent": ["Les plus lus", "mentions légales", "Fermeture de la route"],
    },
    "hostile.html": {
        "url": "https://riverside-weekly.example/schools/millbrook-vote-delayed",
        "canonical_url": "https://riverside-weekly.example/schools/millbrook-vote-delayed",
        "title": "School board delays vote on closing Millbrook Elementary",
        "author": "Dana Whitfield",
        "published_at": datetime(2024, 5, 9, 23, 5, tzinfo=UTC),
        "site_name": "Riverside Weekly",
        "language": "en",
        "present": [
            "postponed a vote on closing Millbrook Elementary",
            "can fill in the survey, write to the board or read the repairs report first.",
        ],
        "absent": ["document.write", "alert", "cookie", "trackVisit", "steal"],
    },
    "latin1.html": {
        "url": "https://diario-sureste.example/local/bus-nocturno",
        "canonical_url": "https://diario-sureste.example/local/bus-nocturno",
        "title": "Almería estrena un servicio nocturno de autobuses al aeropuerto",
        "author": "Nuria Peñalver Gómez",
        "published_at": datetime(2024, 1, 22, 8, 10, tzinfo=UTC),
        "site_name": "Diario del Sureste",
        "language": "es",
        "present": [
            "El ayuntamiento de Almería puso en marcha el lunes",
            "según explicó la concejala de Movilidad, Begoña Ibáñez.",
            "¿Llegará también a los pueblos del Levante?",
        ],
        "absent": ["Portada", "Aviso legal", "\ufffd"],
    },
    "windows1252.html": {
        "url": "https://liffeyside.example/business/cup-levy",
        "canonical_url": "https://liffeyside.example/business/cup-levy",
        "title": "Cafés say the new €0.25 cup levy is “a tax on the morning queue”",
        "author": "Siobhán Kearney",
        "published_at": None,
        "site_name": "Liffeyside Times",
        "language": "en",
        "present": [
            "the government\u2019s plan to charge €0.25 for every disposable cup from September — "
            "a levy",
            "“Nobody is against cutting waste,” said Róisín Byrne",
        ],
        "absent": ["\ufffd", "Liffeyside Times</"],
    },
    "broken.html": {
        "url": "https://coastline.example/weather/storm",
        "canonical_url": "https://coastline.example/weather/storm",
        "title": "Storm knocks out power to 12,000 homes on the coast",
        "author": "Kwame Mensah",
        "published_at": None,
        "site_name": "Coastline Courier",
        "language": "",
        "present": [
            "Winds of up to 110 km/h brought down lines across the southern coast overnight",
            "some rural areas could wait until Monday",
            "heavy rain was still possible in the hills.",
            "report them to the emergency number.",
        ],
        "absent": ["unclosed comment", "<p", "</span>"],
    },
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_gives_its_article_and_metadata(name):
    expected = PAGES[name]
    extracted = extract_article(page(name), url=expected["url"])

    assert isinstance(extracted, Extracted)
    assert extracted.url == expected["url"]
    for field in ("canonical_url", "title", "author", "site_name", "language", "published_at"):
        assert getattr(extracted, field) == expected[field], field
    if extracted.published_at is not None:
        assert extracted.published_at.tzinfo is not None
    for passage in expected["present"]:
        assert passage in extracted.text
    for passage in expected["absent"]:
        assert passage not in extracted.text
    assert extracted.word_count >= 20
    assert_harmless(extracted.html)


def test_the_text_has_one_paragraph_per_block_separated_by_blank_lines():
    text = extract_article(page("boilerplate.html"), url=HARBOUR).text
    blocks = text.split("\n\n")
    assert blocks[0] == "Ferry fares to rise 12% in spring, port authority says"
    assert "Commuters object" in blocks
    assert len(blocks) == 8
    # Source line breaks inside a paragraph are spaces; no block is empty or padded.
    assert all(block and block == block.strip() and "\n" not in block for block in blocks)
    assert "  " not in text


def test_the_html_keeps_the_structure_of_the_article():
    html = extract_article(page("boilerplate.html"), url=HARBOUR).html
    assert html.startswith("<h1>Ferry fares to rise 12% in spring, port authority says</h1>")
    assert "<h2>Commuters object</h2>" in html
    assert html.count("<p>") == 6
    assert "cookies" not in html and "harbourwatcher" not in html


def test_tables_lists_and_inline_markup_survive_in_text_and_html():
    html = """<html><body><article><h1>Where the money goes</h1>
    <p>The council published its budget for next year on Friday, with spending up in every
    department except the parks service, which loses almost a tenth of its funding.</p>
    <table><tr><th>Department</th><th>Budget</th></tr><tr><td>Roads</td><td>4.1m</td></tr>
    <tr><td>Parks</td><td>0.9m</td></tr></table>
    <ul><li>Libraries keep <em>all</em> branches<ul><li>but cut Sunday hours</li></ul></li>
    <li>Bus passes unchanged</li></ul>
    <p>Officials called the figures <strong>provisional</strong><sup>1</sup>.</p>
    </article></body></html>"""
    extracted = extract_article(html, url="https://x.example/budget")
    assert extracted.text.split("\n\n")[2:] == [
        "Department | Budget\nRoads | 4.1m\nParks | 0.9m",
        "Libraries keep all branches\nbut cut Sunday hours\nBus passes unchanged",
        "Officials called the figures provisional1.",
    ]
    assert "<table><tr><th>Department</th><th>Budget</th></tr>" in extracted.html
    assert "<li>Libraries keep <em>all</em> branches<ul><li>but cut" in extracted.html
    assert "<strong>provisional</strong><sup>1</sup>" in extracted.html


def test_sanitising_the_extracted_html_again_changes_nothing():
    for name, expected in PAGES.items():
        html = extract_article(page(name), url=expected["url"]).html
        assert sanitise_html(html) == html


def test_the_date_in_metadata_wins_over_a_missing_visible_date():
    # hostile.html shows no date at all: the meta article:published_time is all there is.
    extracted = extract_article(page("hostile.html"), url=PAGES["hostile.html"]["url"])
    assert extracted.published_at == datetime(
        2024, 5, 9, 18, 5, tzinfo=timezone(timedelta(hours=-5))
    )


# --- Hostile markup ----------------------------------------------------------------------------


def assert_harmless(html: str):
    lowered = html.lower()
    for needle in ("<script", "<style", "<iframe", "<svg", "<img", "javascript:", "onerror"):
        assert needle not in lowered
    for element in lxml.html.fragment_fromstring(html, create_parent="div").iterdescendants():
        assert element.tag in ALLOWED_TAGS
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        if element.tag == "a":
            assert set(element.attrib) <= {"href", "rel"}
            assert element.get("rel") == "noopener noreferrer nofollow"
            href = element.get("href")
            assert href is None or href.startswith(("http://", "https://", "mailto:"))
        else:
            assert not element.attrib


def test_hostile_markup_inside_the_article_is_sanitised():
    html = extract_article(page("hostile.html"), url=PAGES["hostile.html"]["url"]).html
    assert_harmless(html)
    links = lxml.html.fragment_fromstring(html, create_parent="div").findall(".//a")
    assert [(link.text, link.get("href")) for link in links] == [
        ("fill in the survey", None),
        ("the board", "mailto:board@riverside-schools.example"),
        ("repairs report", "https://riverside-weekly.example/schools/millbrook-repairs-report"),
        ("looks harmless", None),
    ]


def test_sanitising_keeps_only_harmless_markup():
    dirty = """
    <div class="x" style="color:red" onclick="evil()">
      <h2 id="top" onmouseover="evil()">Heading</h2>
      <p>Safe <b>bold</b> <strong>strong</strong> <em>em</em><br>line</p>
      <script>alert('x')</script><style>p { color: red }</style>
      <iframe src="https://evil.example"></iframe><object data="x.swf"></object>
      <img src="x" onerror="alert(1)"><svg onload="alert(2)"><circle/></svg>
      <a href="javascript:alert(3)">js</a>
      <a href="JAVASCRIPT:alert(4)">JS</a>
      <a href="&#106;avascript:alert(5)">entity</a>
      <a href="data:text/html;base64,PHNjcmlwdD4=">data</a>
      <a href="vbscript:msgbox(1)">vb</a>
      <a href="/relative/path" target="_blank" rel="opener">relative</a>
      <a href="//cdn.example/x">protocol-relative</a>
      <a href="mailto:desk@paper.example">mail</a>
      <a href="https://paper.example/a?b=1#c" title="t">ok</a>
      <form action="/steal"><input name="q"><button>Go</button></form>
      <ul><li>one</li></ul><ol><li>two</li></ol><blockquote>said</blockquote>
      <!-- a comment -->
    </div>"""
    clean = sanitise_html(dirty, base_url="https://paper.example/news/story")
    assert_harmless(clean)
    for kept in (
        "<h2>Heading</h2>",
        "<strong>strong</strong>",
        "<em>em</em>",
        "<br>",
        "<ul><li>one</li></ul>",
        "<ol><li>two</li></ol>",
        "<blockquote>said</blockquote>",
    ):
        assert kept in clean
    for gone in (
        "alert",
        "color",
        "evil",
        "data:",
        "vbscript",
        "swf",
        "comment",
        "steal",
        "_blank",
    ):
        assert gone not in clean
    assert 'href="https://paper.example/relative/path"' in clean
    assert 'href="https://cdn.example/x"' in clean
    assert 'href="mailto:desk@paper.example"' in clean
    assert 'href="https://paper.example/a?b=1#c"' in clean
    assert "Safe bold" in clean  # a tag that is not allowed keeps its text

    # Without a base URL, relative links are dropped rather than kept dangling.
    assert 'href="/relative/path"' not in sanitise_html(dirty)


# --- Encodings and broken markup --------------------------------------------------------------


def test_a_latin1_page_without_a_charset_declaration_decodes():
    data = page("latin1.html")
    assert b"charset" not in data.lower()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    extracted = extract_article(data, url="https://diario-sureste.example/x")
    assert "Almería" in extracted.title and "\ufffd" not in extracted.text


def test_a_windows_1252_page_with_a_declaration_decodes():
    data = page("windows1252.html")
    assert b'<meta charset="windows-1252">' in data
    extracted = extract_article(data, url="https://liffeyside.example/x")
    assert "€40 a week" in extracted.text
    assert "we can\u2019t" in extracted.text


def test_the_server_charset_is_used_for_bytes():
    data = "<html><body><article><p>{}</p></article></body></html>".format(
        "Ça coûte cher, disent les élèves du lycée. " * 5
    ).encode("cp1252")
    extracted = extract_article(data, url="https://x.example/a", charset="windows-1252")
    assert "Ça coûte cher, disent les élèves du lycée." in extracted.text


def test_broken_markup_and_stray_bytes_do_not_crash():
    extracted = extract_article(page("broken.html"), url="https://coastline.example/a")
    assert "\ufffd" in extracted.text  # the stray bytes, replaced
    assert "by the evening \ufffd\ufffd but warned" in extracted.text
    assert "every hour & that residents" in extracted.text
    assert "&amp;" in extracted.html


@pytest.mark.parametrize(
    "content",
    [
        page("boilerplate.html")[: len(page("boilerplate.html")) // 2],  # cut off mid-page
        page("boilerplate.html").replace(b"</p>", b"").replace(b"</div>", b"</span>"),
        b"<?xml version='1.0' encoding='utf-8'?>\n" + page("hostile.html"),
        ("<?xml version='1.0' encoding='utf-8'?>\n" + page("hostile.html").decode()),
        b"\x00\x01" + page("amp.html").replace(b"<p>", b"<p>\x00\x07\x1b"),
    ],
    ids=["truncated", "unclosed", "xml-declaration-bytes", "xml-declaration-str", "controls"],
)
def test_damaged_pages_still_give_their_article(content):
    extracted = extract_article(content, url="https://x.example/a")
    assert extracted.word_count >= 20
    assert not any(char in extracted.text for char in "\x00\x01\x07\x1b")
    assert_harmless(extracted.html)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        "   ",
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"<html><body><p>Too short to be an article.</p></body></html>",
        b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>",
        b"<html><head><title>Only a title</title></head><body></body></html>",
    ],
    ids=["empty", "blank", "binary", "short", "navigation", "title-only"],
)
def test_nothing_extractable_raises_extraction_error(content):
    with pytest.raises(ExtractionError) as caught:
        extract_article(content, url="https://x.example/a")
    assert caught.value.code == "nothing_extractable"
    assert str(caught.value)


def test_extraction_never_touches_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("extraction tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    for name, expected in PAGES.items():
        assert extract_article(page(name), url=expected["url"]).title == expected["title"]


# --- Plain text ---------------------------------------------------------------------------------


def test_a_plain_text_article_is_cleaned():
    text = extract_plain_text(page("plain.txt"))
    assert text.startswith("Library opening hours to be extended in three districts\n\nBy Ola")
    for unwanted in ("\r", "\x00", "\x07", "\x0b", "\n\n\n"):
        assert unwanted not in text
    assert "Nordvik, Østhavn and the old town" in text
    assert "the mobile\nlibrary van" in text  # line breaks inside a paragraph stay
    assert text.split("\n\n")[-1] == (
        "Staff unions welcomed the extra hours but asked for evening shifts to be shared fairly."
    )


def test_plain_text_from_other_encodings_and_too_little_text():
    latin = "Le maire a annoncé la fermeture du marché couvert pendant les travaux. " * 3
    assert extract_plain_text(latin.encode("latin-1")) == latin.strip()
    assert extract_plain_text(latin.encode("cp1252"), charset="windows-1252") == latin.strip()
    assert extract_plain_text("\ufeffShort note.\r\n", min_words=0) == "Short note."
    with pytest.raises(ExtractionError):
        extract_plain_text(b"Short note.")


# --- Dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T14:30:00+01:00", datetime(2024, 3, 5, 13, 30, tzinfo=UTC)),
        ("2024-03-05T14:30:00Z", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05T14:30:00.250+0100", datetime(2024, 3, 5, 13, 30, 0, 250000, tzinfo=UTC)),
        ("2024-03-05 14:30", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 14:30:00 GMT", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05T14:30:00 Europe/Paris", datetime(2024, 3, 5, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
        ("0001-01-01", None),
    ],
)
def test_dates_become_aware_datetimes(value, expected):
    parsed = parse_datetime(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None


# --- Through the local site -------------------------------------------------------------------


@pytest.fixture
def site(settings):
    settings.CLAIMTRACK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    running = Site()
    yield running
    running.stop()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("boilerplate.html", "text/html; charset=utf-8"),
        ("amp.html", "text/html"),
        ("metadata_date.html", "application/xhtml%2Bxml"),
        ("hostile.html", "text/html; charset=utf-8"),
        ("latin1.html", "text/html"),
        ("windows1252.html", "text/html; charset=windows-1252"),
        ("broken.html", "text/html"),
    ],
)
def test_fetched_pages_extract_like_the_files(site, name, content_type):
    fetched = fetch(site.url(f"/page/{name}?type={content_type}"))
    from_site = extract_article(fetched.body, url=fetched.final_url, charset=fetched.charset)
    from_file = extract_article(page(name), url=fetched.final_url)
    assert from_site == from_file
    assert from_site.title == PAGES[name]["title"]


def test_a_fetched_plain_text_page(site):
    fetched = fetch(site.url("/page/plain.txt?type=text/plain; charset=utf-8"))
    assert extract_plain_text(fetched.text()) == extract_plain_text(page("plain.txt"))
