"""Vague intentions and negated meetings are no events (annotation guideline: "vague intentions such
as 'consider the possibility of meeting in person' are not annotated"); a called-off meeting's weekday
is when it was to be; sanctions fall on their target. Sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

from newswire.contracts import EnrichedArticle, EventStatus, EventType

EnrichOne = Callable[..., EnrichedArticle]


def _of(result: EnrichedArticle, etype: EventType) -> list:  # type: ignore[type-arg]
    return [e for e in result.events if e.type is etype]


def _contacts(result: EnrichedArticle) -> list:  # type: ignore[type-arg]
    return [e for e in result.events if e.type in (EventType.MEET, EventType.CALL)]


def test_hope_to_meet_at_some_point_is_no_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("Brazilian President Luiz Inacio Lula da Silva said on Thursday he wanted to meet "
                   "Italian Prime Minister Giorgia Meloni at some point, though no meeting has been "
                   "scheduled.",
                   title="Lula wants to meet Meloni", day="2023-06-15")
    assert _contacts(r) == []


def test_hoped_is_an_intention_even_when_lemmatised_badly(enrich_one: EnrichOne) -> None:
    r = enrich_one("German Chancellor Olaf Scholz hoped to hold talks with Indian Prime Minister "
                   "Narendra Modi.", day="2023-02-07")
    assert _contacts(r) == []


def test_would_like_to_meet_is_no_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron would like to meet Alexander Lukashenko, an aide said.", day="2023-03-01")
    assert _contacts(r) == []


def test_may_meet_is_no_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz may meet Narendra Modi in Berlin, officials said.", day="2023-03-01")
    assert _contacts(r) == []


def test_open_to_talks_without_arrangement_is_no_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("Recep Tayyip Erdogan is open to talks with Giorgia Meloni, but no talks have been "
                   "arranged.", day="2023-03-01")
    assert _contacts(r) == []


def test_negated_meeting_is_never_occurred(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron did not meet Giorgia Meloni in Rome on Friday.", day="2023-03-04")
    assert not [e for e in r.events if e.status is EventStatus.OCCURRED]
    assert _of(r, EventType.MEET) == []


def test_intention_with_its_occasion_is_planned(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz said he wishes to speak with Narendra Modi at the upcoming summit in "
                   "Delhi later this month.", day="2023-09-01")
    assert [e.status for e in _of(r, EventType.MEET)] == [EventStatus.PLANNED]


def test_met_and_agreed_to_meet_again_at_some_point_stays_occurred(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz met Giorgia Meloni in Rome on Friday and they hope to meet again at some "
                   "point.", day="2023-06-10")
    assert [e.status for e in _of(r, EventType.MEET)] == [EventStatus.OCCURRED]


def test_called_off_meeting_weekday_reads_forward(enrich_one: EnrichOne) -> None:
    # Published Tuesday 2023-06-13: "originally set for Thursday" is 2023-06-15, not the 8th.
    r = enrich_one("Talks between Giorgia Meloni and Olaf Scholz, originally set for Thursday, have been "
                   "called off.", day="2023-06-13")
    [meet] = _of(r, EventType.MEET)
    assert meet.status is EventStatus.CANCELLED
    assert meet.date is not None and meet.date.isoformat() == "2023-06-15"


def test_occurred_weekday_still_reads_backward(enrich_one: EnrichOne) -> None:
    r = enrich_one("Giorgia Meloni met Olaf Scholz in Rome on Thursday.", day="2023-06-13")
    [meet] = _of(r, EventType.MEET)
    assert meet.date is not None and meet.date.isoformat() == "2023-06-08"


def test_sanctions_imposed_by_a_country_on_a_leader(enrich_one: EnrichOne) -> None:
    r = enrich_one("Britain imposed sanctions on Monday on Belarusian President Alexander Lukashenko.",
                   day="2022-03-01")
    [sanction] = _of(r, EventType.SANCTION)
    assert {p.name for p in sanction.participants} == {"Alexander Lukashenko"}
