"""The seed story: exactly one current in-person meeting, no historical or planned duplicate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newswire import fulltext
from newswire.contracts import EventStatus, EventType, Medium, RawArticle
from newswire.enrich.pipeline import Enricher, document_text

SEED = Path(__file__).resolve().parents[3] / "seeds" / "2024-05-16_xi-putin-beijing.jsonl"


def test_seed_yields_exactly_one_in_person_meeting(enricher: Enricher) -> None:
    article = RawArticle.model_validate_json(SEED.read_text(encoding="utf-8").splitlines()[0])
    [result] = enricher.enrich([article])
    meets = [e for e in result.events if e.type is EventType.MEET]
    assert len(meets) == 1
    [meet] = meets
    assert (meet.status, meet.medium) == (EventStatus.OCCURRED, Medium.IN_PERSON)
    assert {p.name for p in meet.participants} == {"Xi Jinping", "Vladimir Putin"}
    assert {p.id for p in meet.participants} == {"Q15031", "Q7747"}
    assert meet.location is not None and (meet.location.name, meet.location.country) == ("Beijing", "CN")
    assert meet.date == dt.date(2024, 5, 16)
    text = document_text(article)
    for ev in meet.evidence:
        assert text[ev.start:ev.end].strip() == ev.sentence
        assert ev.article_id == article.id and ev.published_at == article.published_at
        assert "fourth face-to-face" not in ev.sentence and "Winter Olympics" not in ev.sentence
    # The search terms travel with the article, by the rules the store's queries use.
    assert result.search is not None and result.search.tokenizer == fulltext.TOKENIZER
    assert result.search == fulltext.search_vector(article.title, article.body)
    assert {"putin", "beij", "xi"} <= set(fulltext.terms(article.body))


def test_seed_first_sentence_links_xi_and_keeps_kyiv_a_place(enricher: Enricher) -> None:
    article = RawArticle.model_validate_json(SEED.read_text(encoding="utf-8").splitlines()[0])
    [result] = enricher.enrich([article])
    first_sentence_end = document_text(article).index("Ukraine.")
    early = {e.canonical for e in result.entities if e.end <= first_sentence_end and e.canonical}
    assert {"Xi Jinping", "Vladimir Putin"} <= early
    assert all(e.label != "PERSON" for e in result.entities if e.text == "Kyiv")
