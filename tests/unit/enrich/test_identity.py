"""Story identity: two articles reporting the same meeting produce the same event id."""

from __future__ import annotations

from collections.abc import Callable

from newswire.contracts import EnrichedArticle

EnrichOne = Callable[..., EnrichedArticle]


def test_same_meeting_same_id_across_articles(enrich_one: EnrichOne) -> None:
    a = enrich_one("Vladimir Putin held talks with Alexander Lukashenko in Sochi on Monday.",
                   day="2022-05-24")
    b = enrich_one("In Sochi, Lukashenko met Putin yesterday, Alexander Lukashenko's office said.",
                   day="2022-05-24", title="Belarus leader in Russia")
    [ea] = [e for e in a.events if e.type.value == "MEET"]
    [eb] = [e for e in b.events if e.type.value == "MEET"]
    assert ea.date == eb.date
    assert ea.id == eb.id
    assert ea.evidence[0].article_id != eb.evidence[0].article_id


def test_different_day_different_id(enrich_one: EnrichOne) -> None:
    a = enrich_one("Vladimir Putin held talks with Alexander Lukashenko in Sochi.", day="2022-05-23")
    b = enrich_one("Vladimir Putin held talks with Alexander Lukashenko in Sochi.", day="2022-09-26")
    assert a.events[0].id != b.events[0].id
