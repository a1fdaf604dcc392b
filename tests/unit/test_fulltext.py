"""The full-text rules (newswire.fulltext): one tokenizer for stored vectors and for queries."""

from __future__ import annotations

import base64
import struct

from hypothesis import given
from hypothesis import strategies as st

from newswire import fulltext


def _read_binary(data: bytes) -> dict[str, list[int]]:
    """PostgreSQL's tsvector_recv, enough of it to check the layout we send."""
    (count,) = struct.unpack_from("!i", data)
    off, out, previous = 4, {}, b""
    for _ in range(count):
        end = data.index(b"\0", off)
        lexeme = data[off:end]
        assert lexeme > previous, "lexemes must arrive in byte order"
        previous = lexeme
        (n,) = struct.unpack_from("!H", data, end + 1)
        positions = list(struct.unpack_from(f"!{n}H", data, end + 3))
        assert positions == sorted(set(positions))
        out[lexeme.decode()] = positions
        off = end + 3 + 2 * n
    assert off == len(data)
    return out


def test_words_take_positions_and_stopwords_keep_theirs() -> None:
    assert fulltext.words("The leaders were meeting in Beijing") == [
        None, "leader", None, "meet", None, "beij"
    ]
    assert fulltext.terms("Putin met Xi, and Putin left") == {
        "putin": [1, 5], "met": [2], "xi": [3], "left": [6]
    }


def test_abbreviations_acronyms_numbers_and_possessives() -> None:
    assert fulltext.words("U.S. officials") == ["us", "offici"]
    assert fulltext.words("the US and the WHO") == [None, "us", None, None, "who"]
    assert fulltext.words("1,000 troops, 3.5bn, G7") == ["1000", "troop", "3.5", "bn", "g7"]
    assert fulltext.words("Xi's visit") == fulltext.words("Xi’s visit") == ["xi", "visit"]
    assert fulltext.words("face-to-face") == ["face", None, "face"]


def test_diacritics_fold_so_either_spelling_finds_the_other() -> None:
    assert fulltext.words("Erdoğan met Lula da Silva in São Paulo") == fulltext.words(
        "Erdogan met Lula da Silva in Sao Paulo"
    )


def test_binary_vector_is_postgresql_layout_in_byte_order() -> None:
    found = fulltext.terms("Zelensky met Ángela and zebra and Zelensky")
    assert _read_binary(fulltext.binary_tsvector(found)) == found
    sent = fulltext.search_vector("Title", "body text")
    assert sent.tokenizer == fulltext.TOKENIZER
    decoded = base64.b64decode(sent.tsvector)
    assert _read_binary(decoded) == {"titl": [1], "bodi": [2], "text": [3]}


def test_postgresql_limits_are_kept() -> None:
    many = fulltext.terms("summit " * 400)
    assert len(many["summit"]) == 256  # PostgreSQL keeps at most 256 positions per lexeme
    assert "x" * 3000 not in fulltext.terms("x" * 3000)  # longer than a lexeme may be: dropped
    far = fulltext.terms("word " * 17000 + "last")
    assert far["last"] == [16383]  # positions clamp at 16383, as PostgreSQL's do


def test_queries_follow_websearch_syntax() -> None:
    assert fulltext.tsquery("grain exports") == "'grain' & 'export'"
    assert fulltext.tsquery('"Xi Jinping" Moscow') == "('xi' <-> 'jinp') & 'moscow'"
    assert fulltext.tsquery('"talks in Beijing"') == "('talk' <2> 'beij')"
    assert fulltext.tsquery("Putin or Xi -Trump") == "'putin' | ('xi' & !'trump')"
    assert fulltext.tsquery("face-to-face") == "('face' <2> 'face')"
    assert fulltext.tsquery("the of !!!") is None
    assert fulltext.tsquery("or or") is None


def test_a_query_finds_the_words_as_they_were_indexed() -> None:
    stored = fulltext.terms("The U.S. and Türkiye signed 1,000-page agreements.")
    for q in ["U.S.", "Turkiye", "Türkiye", "agreement", "1000", "signing"]:
        lexeme = fulltext.tsquery(q)
        assert lexeme is not None and lexeme.strip("'") in stored, q


@given(st.text(max_size=200))
def test_any_query_text_gives_a_well_formed_query_or_none(q: str) -> None:
    out = fulltext.tsquery(q)
    if out is not None:
        assert out.count("(") == out.count(")")
        assert "''" not in out and out.strip()


@given(st.text(max_size=300))
def test_any_text_gives_a_readable_vector(text: str) -> None:
    found = fulltext.terms(text)
    assert _read_binary(fulltext.binary_tsvector(found)) == found
