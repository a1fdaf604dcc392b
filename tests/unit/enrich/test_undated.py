"""Articles with no publication date (undated web pages, some archives) go through extraction:
nothing is rejected, and no day is guessed from a relative word."""

from __future__ import annotations

import datetime as dt

import pytest

from newswire.contracts import EventStatus, EventType, RawArticle
from newswire.enrich.pipeline import Enricher


def _undated(enricher: Enricher, body: str, title: str = "") -> list:  # type: ignore[type-arg]
    article = RawArticle(title=title, body=body, source="test")
    assert article.published_at is None
    return enricher.enrich([article])[0].events


def test_relative_day_of_an_undated_article_stays_unresolved(enricher: Enricher) -> None:
    [meeting] = [e for e in _undated(enricher, "Olaf Scholz held talks with Emmanuel Macron in Berlin on "
                                              "Tuesday.") if e.type is EventType.MEET]
    assert meeting.status is EventStatus.OCCURRED
    assert meeting.date is None
    assert meeting.location is not None and meeting.location.name == "Berlin"


def test_a_date_with_its_year_dates_the_event_of_an_undated_article(enricher: Enricher) -> None:
    [meeting] = [e for e in _undated(enricher, "On 3 March 2021, Narendra Modi met Scott Morrison in "
                                              "New Delhi.") if e.type is EventType.MEET]
    assert meeting.date == dt.date(2021, 3, 3)


def test_an_undated_article_resolves_roles_by_the_date_it_states(enricher: Enricher) -> None:
    # The Prime Minister of Japan in September 2020 is Yoshihide Suga (from the 16th), not today's.
    events = _undated(enricher, "TOKYO, September 30, 2020 - The Prime Minister of Japan received "
                                "Scott Morrison at his official residence.")
    names = {p.name for e in events for p in e.participants}
    assert "Yoshihide Suga" in names


@pytest.mark.parametrize("month", ["January", "May", "September"])
def test_a_date_without_its_year_does_not_make_an_undated_meeting_history(enricher: Enricher,
                                                                          month: str) -> None:
    """'September 12-14' in an undated article cannot be placed before anything: the meeting is news
    with no date, not background (only a date with its year can say it is long past). Three months,
    so that whatever today is, some of them fall long before it."""
    [meeting] = [e for e in _undated(enricher, "Secretary of State Antony Blinken and Foreign Minister "
                                              f"Wang Yi met in Vienna, Austria, {month} 12-14, to discuss "
                                              "trade.") if e.type is EventType.MEET]
    assert meeting.status is EventStatus.OCCURRED and meeting.date is None


def test_a_dated_past_year_still_makes_an_undated_meeting_history(enricher: Enricher) -> None:
    events = _undated(enricher, "In the article, Olaf Scholz recalled that he and Emmanuel Macron last met "
                                "in Vienna in March 2019.")
    assert [e for e in events if e.type is EventType.MEET and e.status is EventStatus.OCCURRED] == []


def test_an_undated_headline_role_is_the_holder_the_article_names(enricher: Enricher) -> None:
    """Undated, the day is a guess: 'Vietnamese President' in the headline is the President of
    Vietnam the body names (who held that office years ago), not today's holder; and the headline's
    present 'meets' over the body's 'will meet' is the preview of that meeting, not a meeting held."""
    events = _undated(enricher, "Emmanuel Macron will meet with the President of Vietnam Tran Duc Luong "
                                "today in Paris.", title="Macron meets Vietnamese President")
    meets = [e for e in events if e.type is EventType.MEET]
    assert {(e.status, frozenset(p.name for p in e.participants)) for e in meets} == {
        (EventStatus.PLANNED, frozenset({"Emmanuel Macron", "Trần Đức Lương"}))}
