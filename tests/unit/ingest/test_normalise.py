from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newswire.contracts import RawArticle
from newswire.ingest.normalise import (
    clean_text,
    detect_language,
    html_to_text,
    normalise,
    parse_dateline,
    to_utc,
)

ROOT = Path(__file__).resolve().parents[3]


def test_html_to_text_keeps_paragraphs_and_drops_scripts() -> None:
    html = (
        "<p>First &amp; foremost.</p><script>alert(1)</script><p>Second<br>line</p><!-- c -->"
        "<ul><li>a</li></ul>"
    )
    assert html_to_text(html) == "First & foremost.\n\nSecond\nline\n\na"


def test_html_to_text_survives_broken_markup_and_plain_text() -> None:
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"
    assert html_to_text("a < b and c > d") == "a < b and c > d"
    assert html_to_text("Tom &amp; Jerry") == "Tom & Jerry"
    assert html_to_text("<") == "<"


def test_clean_text_unicode_and_whitespace() -> None:
    raw = "Cafe\u0301\u00a0 is\u200b open\r\n\r\n\r\n\r\nNext\tline \x07"
    assert clean_text(raw) == "Café is open\n\nNext line"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("BEIJING (Agencies): Chinese leader Xi Jinping ...", ("BEIJING", "Agencies")),
        ("WASHINGTON (AP) — President Joe Biden ...", ("WASHINGTON", "AP")),
        ("LONDON, May 16 (Reuters) - British inflation ...", ("LONDON", "Reuters")),
        ("KYIV, Ukraine (AP) — Russian forces ...", ("KYIV, Ukraine", "AP")),
        ("UNITED NATIONS (AP) -- The Security Council ...", ("UNITED NATIONS", "AP")),
        ("BERLIN (dpa) - Die Regierung ...", ("BERLIN", "dpa")),
        ("NEW DELHI: The government on Monday ...", ("NEW DELHI", None)),
        ("Kyiv (AFP) - Ukraine said ...", ("Kyiv", "AFP")),
        ("BREAKING: Markets fall", (None, None)),
        ("The talks (which began Monday) - and ended ...", (None, None)),
        ("Sources: the minister resigned", (None, None)),
        ("Putin, whose delegation includes top officials (AP) - was ...", (None, None)),
        ("", (None, None)),
    ],
)
def test_parse_dateline(body: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_dateline(body) == expected


def test_to_utc_accepts_the_formats_feeds_use() -> None:
    want = datetime(2024, 5, 16, 9, 0, tzinfo=UTC)
    assert to_utc("2024-05-16T11:00:00+02:00") == want
    assert to_utc("2024-05-16T09:00:00Z") == want
    assert to_utc("Thu, 16 May 2024 09:00:00 GMT") == want
    assert to_utc("Thu, 16 May 2024 05:00:00 -0400") == want
    assert to_utc(time.strptime("2024-05-16 09:00:00", "%Y-%m-%d %H:%M:%S")) == want
    assert to_utc(datetime(2024, 5, 16, 9, 0)) == want  # naive = UTC
    assert to_utc(datetime(2024, 5, 16, 17, 0, tzinfo=timezone(timedelta(hours=8)))) == want
    assert to_utc("20240516T090000+0000") == want  # NITF norm
    with pytest.raises(ValueError):
        to_utc("not a date at all")


def test_detect_language() -> None:
    assert (
        detect_language(
            "Der Bundeskanzler hat am Montag in Berlin mit dem französischen Präsidenten gesprochen."
        )
        == "de"
    )
    assert (
        detect_language("Le président de la République a reçu lundi à l'Élysée le chancelier allemand.")
        == "fr"
    )
    assert detect_language("Xi and Putin met in Beijing on Thursday to deepen their partnership.") == "en"
    assert detect_language("Short") is None


def test_normalise_fills_dateline_language_and_utc() -> None:
    out = normalise(
        {
            "title": "<b>Leaders</b>\n meet",
            "body": "<p>MOSKAU (dpa) - Der russische Präsident hat am Donnerstag den chinesischen "
            "Staatschef empfangen.</p>",
            "published_at": "Thu, 16 May 2024 11:00:00 +0200",
        }
    )
    article = RawArticle.model_validate(out)
    assert article.title == "Leaders meet"
    assert article.body.startswith("MOSKAU (dpa) - Der russische")
    assert (article.dateline, article.agency, article.language) == ("MOSKAU", "dpa", "de")
    assert article.published_at == datetime(2024, 5, 16, 9, 0, tzinfo=UTC)


def test_explicit_language_wins_and_is_reduced_to_its_primary_tag() -> None:
    assert (
        normalise({"body": "Der Hund schläft im Garten und träumt.", "language": "en-US"})["language"] == "en"
    )
    assert normalise({"body": "tiny"}, language="fr-FR")["language"] == "fr"  # too short to detect: the hint


def test_normalising_a_clean_seed_keeps_its_id() -> None:
    line = (ROOT / "seeds" / "2024-05-16_xi-putin-beijing.jsonl").read_text(encoding="utf-8").splitlines()[0]
    fields = json.loads(line)
    assert RawArticle.model_validate(normalise(fields)).id == RawArticle.model_validate(fields).id
    assert normalise(normalise(fields)) == normalise(fields)  # idempotent
