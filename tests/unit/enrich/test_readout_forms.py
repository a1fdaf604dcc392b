"""Forms of government readouts that went unread: a leader titled by an international body, a call
reported with "spoke to" where the parser loses the name, a summit that only times the call, the
readout's closing "the leaders looked forward to ...", and titles resolved on a handover day or in an
undated text. Sentences written for these tests (never taken from an evaluation set)."""

from __future__ import annotations

from collections.abc import Callable

from newswire.contracts import EnrichedArticle, EventStatus, EventType, RawArticle
from newswire.enrich.pipeline import Enricher

EnrichOne = Callable[..., EnrichedArticle]
GOV_UK = "https://www.gov.uk/government/news/pm-readout"


def _events(r: EnrichedArticle) -> set[tuple[str, str, frozenset[str]]]:
    return {(e.type.value, e.status.value, frozenset(p.name for p in e.participants)) for e in r.events
            if e.type in (EventType.MEET, EventType.CALL)}


def test_a_leader_titled_by_an_international_body_is_met_not_a_gathering(enrich_one: EnrichOne) -> None:
    r = enrich_one("The Prime Minister met President of the European Council Antonio Costa in London today.",
                   day="2025-02-03", url=GOV_UK)
    assert ("MEET", "occurred", frozenset({"Keir Starmer", "António Costa"})) in _events(r)


def test_spoke_to_a_titled_leader_under_a_call_headline_is_the_call(enrich_one: EnrichOne) -> None:
    r = enrich_one("The Prime Minister spoke to Japanese Prime Minister Kishida this morning.\nThey "
                   "discussed trade.", day="2023-03-03", url=GOV_UK,
                   title="PM call with Prime Minister Kishida of Japan")
    assert ("CALL", "occurred", frozenset({"Rishi Sunak", "Fumio Kishida"})) in _events(r)


def test_spoke_to_a_title_then_the_name_in_apposition_is_the_call(enrich_one: EnrichOne) -> None:
    r = enrich_one("The Prime Minister spoke to the President of France, Emmanuel Macron, this evening.",
                   day="2023-02-14", url=GOV_UK, title="PM call with President Macron of France")
    assert ("CALL", "occurred", frozenset({"Rishi Sunak", "Emmanuel Macron"})) in _events(r)


def test_a_summit_that_times_the_call_is_not_the_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("The Prime Minister spoke to Chancellor Olaf Scholz this afternoon, ahead of the NATO "
                   "Summit.", day="2023-07-06", url=GOV_UK, title="PM call with Chancellor Scholz")
    assert ("CALL", "occurred", frozenset({"Rishi Sunak", "Olaf Scholz"})) in _events(r)


def test_the_readouts_closing_look_ahead_is_a_plan_of_its_leaders(enrich_one: EnrichOne) -> None:
    r = enrich_one(
        "The Prime Minister spoke to Prime Minister Mark Rutte of the Netherlands this morning.\n"
        "They discussed support for Ukraine.\nThe Prime Minister welcomed Dutch leadership on air defence.\n"
        "They agreed on the importance of energy security.\nThey also discussed migration.\n"
        "The leaders looked forward to seeing each other in Vilnius next month.",
        day="2023-06-12", url=GOV_UK, title="PM call with Prime Minister Rutte")
    assert ("MEET", "planned", frozenset({"Rishi Sunak", "Mark Rutte"})) in _events(r)


def test_meeting_in_person_at_a_summit_is_their_own_plan(enrich_one: EnrichOne) -> None:
    r = enrich_one("Pedro Sanchez spoke by phone with Fumio Kishida on Monday. The two leaders looked "
                   "forward to meeting in person at the upcoming G7 Summit.", day="2023-04-10")
    assert ("MEET", "planned", frozenset({"Pedro Sánchez", "Fumio Kishida"})) in _events(r)


def test_on_a_handover_day_the_title_is_the_newcomers(enrich_one: EnrichOne) -> None:
    r = enrich_one("The Prime Minister spoke to President Zelenskyy this evening.", day="2022-09-06",
                   url=GOV_UK, title="PM call with President Zelenskyy")
    assert ("CALL", "occurred", frozenset({"Liz Truss", "Volodymyr Zelenskyy"})) in _events(r)


def test_a_titled_surname_is_that_titles_holder(enrich_one: EnrichOne) -> None:
    r = enrich_one("President Bush met Indian Prime Minister Singh at the White House on Monday.",
                   day="2005-07-18")
    assert ("MEET", "occurred", frozenset({"George W. Bush", "Manmohan Singh"})) in _events(r)


def test_an_undated_text_links_the_one_person_of_a_surname(enricher: Enricher) -> None:
    article = RawArticle(title="", body="Secretary Rice traveled to Berlin. She met German Foreign Minister "
                                        "Steinmeier on Tuesday.", source="test")
    events = enricher.enrich([article])[0].events
    met = [e for e in events if e.type is EventType.MEET and e.status is EventStatus.OCCURRED]
    assert [{p.name for p in e.participants} for e in met] == [
        {"Condoleezza Rice", "Frank-Walter Steinmeier"}]


def test_i_on_a_prime_ministers_site_is_that_prime_minister(enrich_one: EnrichOne) -> None:
    r = enrich_one("I am pleased to announce I will meet with New Zealand Prime Minister the Rt Hon Chris "
                   "Hipkins during his visit to Brisbane on 14 July.", day="2023-07-03",
                   url="https://www.pm.gov.au/media/visit-new-zealand-prime-minister")
    assert _events(r) == {("MEET", "planned", frozenset({"Anthony Albanese", "Chris Hipkins"}))}


def test_i_elsewhere_is_nobody_the_text_does_not_name(enrich_one: EnrichOne) -> None:
    r = enrich_one("I will meet with New Zealand Prime Minister Chris Hipkins in Brisbane on 14 July.",
                   day="2023-07-03", url="https://example.org/blog/visit")
    assert not any(len(people) >= 2 for _, _, people in _events(r))


def test_an_undated_readouts_bare_title_is_the_holder_it_names(enricher: Enricher) -> None:
    article = RawArticle(title="Secretary Blinken's Call with Foreign Minister Wong",
                         body="Secretary of State Antony Blinken spoke with Australian Foreign "
                         "Minister Penny Wong.\nThe Secretary underscored the strength of the alliance.",
                         url="https://www.state.gov/secretary-blinkens-call", source="test")
    calls = [e for e in enricher.enrich([article])[0].events if e.type is EventType.CALL]
    assert [{p.name for p in e.participants} for e in calls] == [{"Antony Blinken", "Penny Wong"}]
