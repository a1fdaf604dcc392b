"""Who takes part in a meeting when the sentence does not say it in full: the person spoken to in a
transcript, a pronoun after a bare title, two verbs with their own objects, a visitor's talks, and
people out of office. Sentences written for these tests (never taken from an evaluation set)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newswire.contracts import EnrichedArticle, EventStatus, EventType

EnrichOne = Callable[..., EnrichedArticle]


def _meetings(r: EnrichedArticle) -> set[tuple[str, frozenset[str]]]:
    return {(e.status.value, frozenset(p.name for p in e.participants))
            for e in r.events if e.type is EventType.MEET}


# The person spoken to ("you") in a transcript turn.
def test_you_in_a_turn_is_the_person_hailed(enrich_one: EnrichOne) -> None:
    r = enrich_one("President of France Emmanuel Macron: Mr Scholz, you are travelling to Rome shortly, "
                   "where on Friday you will meet with Prime Minister Giorgia Meloni. I would ask you "
                   "to pass on our greetings.", day="2023-06-05")
    assert ("planned", frozenset({"Olaf Scholz", "Giorgia Meloni"})) in _meetings(r)
    assert not any("Emmanuel Macron" in people for _, people in _meetings(r))


def test_you_is_the_other_speaker_of_the_transcript(enrich_one: EnrichOne) -> None:
    r = enrich_one(
        "Prime Minister of India Narendra Modi: Welcome to Delhi. We have a rich agenda today.\n"
        "Prime Minister of Japan Fumio Kishida (retranslated): Thank you for the warm welcome.\n"
        "Narendra Modi: I understand that the day after tomorrow you will hold talks with President Joe "
        "Biden in Washington.", day="2023-03-20")
    planned = [e for e in r.events if e.type is EventType.MEET and e.status is EventStatus.PLANNED]
    assert [{p.name for p in e.participants} for e in planned] == [{"Fumio Kishida", "Joe Biden"}]
    assert str(planned[0].date) == "2023-03-22"  # "the day after tomorrow"


def test_a_pleasure_to_receive_in_a_turn_is_the_speakers_meeting(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin: Mr President, friends.\nIt is a great pleasure to receive President Lula "
                   "in Moscow today.", day="2023-05-10")
    assert ("occurred", frozenset({"Vladimir Putin", "Luiz Inácio Lula da Silva"})) in _meetings(r)


# "He" after "the chancellor": the subject before, named by title.
def test_he_after_the_chancellor_is_the_chancellor(enrich_one: EnrichOne) -> None:
    r = enrich_one("BERLIN — Chancellor Olaf Scholz met Emmanuel Macron in Paris on Monday. The day before, "
                   "his foreign minister, Annalena Baerbock, held talks with Antony Blinken in Washington. "
                   "Baerbock said the alliance was strong. From Paris the chancellor flew on to Madrid. "
                   "On Thursday he is due in The Hague for talks with Dutch Prime Minister Mark Rutte.",
                   day="2022-03-07")
    assert ("planned", frozenset({"Olaf Scholz", "Mark Rutte"})) in _meetings(r)
    assert not any("Annalena Baerbock" in people and "Mark Rutte" in people for _, people in _meetings(r))


def test_britains_chancellor_is_not_its_prime_minister(enrich_one: EnrichOne) -> None:
    r = enrich_one("The Prime Minister met President Lula of Brazil today. They agreed that the Chancellor "
                   "should visit Brasilia next year to discuss trade with her counterpart.",
                   day="2024-11-19", url="https://www.gov.uk/government/news/pm-meeting-with-lula")
    people = {p.name for e in r.events for p in e.participants}
    assert ("occurred", frozenset({"Keir Starmer", "Luiz Inácio Lula da Silva"})) in _meetings(r)
    assert not any(e.status is EventStatus.PLANNED and e.type is EventType.MEET for e in r.events), people


# Two verbs, each with its own people.
def test_talks_with_one_and_a_meeting_with_another_are_two_meetings(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron is scheduled to hold talks with German President Frank-Walter Steinmeier "
                   "at Bellevue Palace in Berlin and will also meet Chancellor Olaf Scholz, according to "
                   "Anne Martin, an aide of the French president.", day="2023-07-02")
    planned = {people for status, people in _meetings(r) if status == "planned"}
    assert frozenset({"Emmanuel Macron", "Frank-Walter Steinmeier"}) in planned
    assert frozenset({"Emmanuel Macron", "Olaf Scholz"}) in planned
    assert not any(len(p) > 2 for p in planned)


# A visitor's talks in the next sentence.
def test_talks_with_the_host_after_a_visit_are_the_visitors(enrich_one: EnrichOne) -> None:
    r = enrich_one("On March 3, Emmanuel Macron will visit Brazil. During the talks with President Lula, "
                   "the two sides are expected to discuss the Amazon.", day="2024-02-20")
    assert ("planned", frozenset({"Emmanuel Macron", "Luiz Inácio Lula da Silva"})) in _meetings(r)


def test_a_bilateral_is_a_meeting_and_he_ll_a_plan(enrich_one: EnrichOne) -> None:
    r = enrich_one("Rishi Sunak will travel to Belfast on Thursday. He’ll also have a bilateral with Irish "
                   "Taoiseach Leo Varadkar.", day="2023-03-01")
    assert ("planned", frozenset({"Rishi Sunak", "Leo Varadkar"})) in _meetings(r)


# A plan the article says was called off is the cancellation only.
def test_a_plan_called_off_is_no_plan(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron has called off a planned summit in Madrid with Pedro Sanchez, his office "
                   "said on Monday. Macron had been scheduled to hold talks with Sanchez in Madrid on "
                   "Wednesday.", day="2023-10-02")
    statuses = {status for status, people in _meetings(r)
                if people == frozenset({"Emmanuel Macron", "Pedro Sánchez"})}
    assert statuses == {"cancelled"}


# People out of office on the day.
@pytest.mark.parametrize("body, day, met", [
    ("Vladimir Putin met former Kazakh President Nursultan Nazarbayev in Moscow on Tuesday.", "2023-05-09",
     False),
    ("Giorgia Meloni met Labour leader Keir Starmer in London on Thursday.", "2023-04-27", False),
    ("Giorgia Meloni met Keir Starmer in London on Monday.", "2024-09-16", True),
    ("Joe Biden met Donald Trump, the president-elect, at the White House on Wednesday.", "2024-11-13", True),
])
def test_a_meeting_is_between_people_in_office_or_about_to_be(enrich_one: EnrichOne, body: str, day: str,
                                                              met: bool) -> None:
    occurred = [e for e in enrich_one(body, day=day).events
                if e.type is EventType.MEET and e.status is EventStatus.OCCURRED]
    assert bool(occurred) is met, occurred


def test_a_month_in_a_past_clause_is_the_last_one(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin said on the phone that he had raised the issue during Olaf Scholz's visit "
                   "to Moscow in February.", day="2022-09-13")
    assert not any(e.type in (EventType.MEET, EventType.VISIT) and e.status is EventStatus.OCCURRED
                   for e in r.events), r.events


# Transcript turns: the label, the performative welcome.
def test_a_label_naming_part_of_a_name_still_opens_the_turn(enrich_one: EnrichOne) -> None:
    r = enrich_one("President of Kenya William Ruto (retranslated from Swahili):\nMr Prime Minister, "
                   "friends,\nIt is a great honour to receive Prime Minister Narendra Modi here in Nairobi.\n"
                   "Prime Minister of India Narendra Modi: Thank you.", day="2024-05-16")
    assert ("occurred", frozenset({"William Ruto", "Narendra Modi"})) in _meetings(r)


def test_i_would_like_to_welcome_you_is_a_welcome_now(enrich_one: EnrichOne) -> None:
    r = enrich_one("President of Brazil Luiz Inacio Lula Da Silva: Friends, I would like to welcome you to "
                   "the annual bilateral summit in Brasilia.\nPresident of Argentina Javier Milei: Thank "
                   "you, Mr President.", day="2024-05-16")
    assert _meetings(r) == {("occurred", frozenset({"Luiz Inácio Lula da Silva", "Javier Milei"}))}


@pytest.mark.parametrize("body, day, city", [
    # the dateline's city beats the country the sentence names
    ("ANKARA — Recep Tayyip Erdogan welcomed Olaf Scholz to Turkey on Friday.", "2024-05-10", "Ankara"),
    # a header line of date and place gives the city, not the venue
    ("March 3, 2016, The Kremlin, Moscow\n\nVladimir Putin held talks with Prime Minister of Israel "
     "Benjamin Netanyahu.", "2016-03-03", "Moscow"),
])
def test_the_place_is_the_datelines_city(enrich_one: EnrichOne, body: str, day: str, city: str) -> None:
    [meeting] = [e for e in enrich_one(body, day=day).events if e.type is EventType.MEET]
    assert meeting.location is not None and meeting.location.name == city


def test_a_leader_deep_inside_what_a_call_was_about_is_no_party(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron had a telephone conversation with Olaf Scholz. During the conversation, "
                   "Macron briefed Scholz on the main results of the meeting between European Union "
                   "representatives and the President of Ukraine on June 3 in Kyiv.", day="2023-06-04")
    calls = [frozenset(p.name for p in e.participants) for e in r.events if e.type is EventType.CALL]
    assert calls and all(people == {"Emmanuel Macron", "Olaf Scholz"} for people in calls), calls


def test_the_speaker_looking_forward_to_talks_with_several_meets_each(enrich_one: EnrichOne) -> None:
    r = enrich_one("RISHI SUNAK, PRIME MINISTER: Good morning. Tomorrow I travel to Europe. I look forward "
                   "to the talks with Chancellor Scholz, with President Macron, with Prime Minister Meloni, "
                   "while I am there.", day="2023-06-05")
    planned = {people for status, people in _meetings(r) if status == "planned"}
    assert planned == {frozenset({"Rishi Sunak", other})
                       for other in ("Olaf Scholz", "Emmanuel Macron", "Giorgia Meloni")}


def test_i_want_to_welcome_you_to_a_city_is_a_meeting_there(enrich_one: EnrichOne) -> None:
    r = enrich_one("President of Turkey Recep Tayyip Erdogan: Mr Prime Minister, I want to cordially welcome "
                   "you to Ankara.\nPrime Minister of Hungary Viktor Orban: Thank you.", day="2024-05-16")
    [meeting] = [e for e in r.events if e.type is EventType.MEET]
    assert meeting.status is EventStatus.OCCURRED and meeting.location is not None
    assert {p.name for p in meeting.participants} == {"Recep Tayyip Erdoğan", "Viktor Orbán"}
    assert meeting.location.name == "Ankara"
