"""One test per linguistic construction, on sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from newswire.contracts import EnrichedArticle, EventStatus, EventType, Medium

EnrichOne = Callable[..., EnrichedArticle]


def _contacts(result):  # type: ignore[no-untyped-def]
    return [e for e in result.events if e.type in (EventType.MEET, EventType.CALL)]


def test_phone_call_with_weekday(enrich_one: EnrichOne) -> None:
    r = enrich_one("Narendra Modi spoke by telephone with Olaf Scholz on Tuesday about trade.",
                   day="2023-03-02")
    [call] = _contacts(r)
    assert (call.type, call.status, call.medium) == (EventType.CALL, EventStatus.OCCURRED, Medium.PHONE)
    assert call.date == dt.date(2023, 2, 28)
    assert call.location is None


def test_video_meeting_is_a_video_call(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin held talks via videoconference with Xi Jinping.", day="2022-12-30")
    [call] = _contacts(r)
    assert (call.type, call.medium) == (EventType.CALL, Medium.VIDEO)


def test_future_meeting_is_planned_without_a_made_up_date(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron will meet Olaf Scholz in Paris in the coming weeks.", day="2023-01-10")
    [plan] = _contacts(r)
    assert (plan.type, plan.status) == (EventType.MEET, EventStatus.PLANNED)
    assert plan.location is not None and plan.location.name == "Paris"


def test_expected_to_with_weekday_resolves_forward(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden is expected to host Fumio Kishida at the White House on Friday.",
                   day="2023-01-10")
    [plan] = _contacts(r)
    assert plan.status is EventStatus.PLANNED
    assert plan.date == dt.date(2023, 1, 13)
    assert plan.location is not None and plan.location.name == "Washington"


def test_historical_mention_is_not_an_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden and Xi Jinping last met in Bali in November 2022.", day="2023-06-01")
    assert _contacts(r) == []


def test_ordinal_since_is_background(enrich_one: EnrichOne) -> None:
    r = enrich_one("It was the third meeting between Erdogan and Putin since the war began.",
                   day="2022-10-13")
    assert _contacts(r) == []


def test_bare_title_in_white_house_readout_is_the_sitting_president(enrich_one: EnrichOne) -> None:
    r = enrich_one("The President met today with Prime Minister Fumio Kishida of Japan.", day="2023-01-13",
                   url="https://www.whitehouse.gov/briefing-room/readout")
    [meet] = _contacts(r)
    assert {p.name for p in meet.participants} == {"Joe Biden", "Fumio Kishida"}


def test_role_phrase_resolved_by_date(enrich_one: EnrichOne) -> None:
    old = enrich_one("The Russian president met the Chinese leader in Moscow.", day="2010-06-01")
    new = enrich_one("The Russian president met the Chinese leader in Moscow.", day="2023-03-21")
    assert {p.name for p in _contacts(old)[0].participants} == {"Dmitry Medvedev", "Hu Jintao"}
    assert {p.name for p in _contacts(new)[0].participants} == {"Vladimir Putin", "Xi Jinping"}


def test_venue_maps_to_city(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin hosted Recep Tayyip Erdogan in the Kremlin.", day="2020-03-05")
    [meet] = _contacts(r)
    assert meet.location is not None and (meet.location.name, meet.location.country) == ("Moscow", "RU")


def test_dateline_gives_location(enrich_one: EnrichOne) -> None:
    r = enrich_one("ANKARA (Agencies): Recep Tayyip Erdogan welcomed Viktor Orban on Monday.",
                   day="2023-05-03")
    [meet] = _contacts(r)
    assert meet.location is not None and meet.location.name == "Ankara"
    assert meet.date == dt.date(2023, 5, 1)


def test_kremlin_headline_adds_the_host(enrich_one: EnrichOne) -> None:
    r = enrich_one("The sides discussed trade and energy.", day="2022-10-12",
                   title="Talks with President of Egypt Abdel Fattah el-Sisi", url="http://en.kremlin.ru/x")
    [meet] = _contacts(r)
    assert {p.name for p in meet.participants} == {"Vladimir Putin", "Abdel Fattah el-Sisi"}


def test_surname_links_to_full_name_in_document(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz flew to Paris. There Scholz sat down with Macron for two hours.",
                   day="2022-12-01")
    [meet] = _contacts(r)
    assert {p.id for p in meet.participants} == {"Q61053", "Q3052772"}


def test_leader_meeting_a_group_is_not_a_leader_meeting(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin met with young scientists and engineers in Kazan.", day="2022-06-01")
    assert _contacts(r) == []


def test_topic_of_a_call_is_not_a_participant(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden spoke by phone with Olaf Scholz about Vladimir Putin.", day="2022-03-01")
    [call] = _contacts(r)
    assert {p.name for p in call.participants} == {"Joe Biden", "Olaf Scholz"}


def test_titled_unknown_person_becomes_a_named_leader(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin met with Foreign Minister Jan Novak of Ruritania in Moscow.",
                   day="2022-06-01")
    [meet] = _contacts(r)
    assert {p.id for p in meet.participants} == {"Q7747", "name:Jan Novak"}


def test_signed_agreement_is_an_agree_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("Ilham Aliyev and Vladimir Putin signed a declaration in Moscow.", day="2022-02-22")
    assert any(e.type is EventType.AGREE for e in r.events)


def test_cancelled_meeting(enrich_one: EnrichOne) -> None:
    r = enrich_one("The meeting between Joe Biden and Vladimir Putin in Geneva was cancelled.",
                   day="2022-02-25")
    [meet] = _contacts(r)
    assert meet.status is EventStatus.CANCELLED


def test_headline_infinitive_is_planned_and_attribution_date_is_not_the_event_date(
        enrich_one: EnrichOne) -> None:
    r = enrich_one("ROME — Italian Prime Minister Giorgia Meloni will receive Indian Prime Minister Narendra "
                   "Modi in Rome next month, her office said on Wednesday.",
                   title="Meloni to receive Modi", day="2023-09-06")
    [plan] = _contacts(r)
    assert (plan.type, plan.status) == (EventType.MEET, EventStatus.PLANNED)
    assert plan.date is None  # "next month"; Wednesday is when the office spoke
    assert plan.location is not None and plan.location.name == "Rome"


def test_future_headline_word_makes_the_headline_planned(enrich_one: EnrichOne) -> None:
    r = enrich_one("Canadian Prime Minister Justin Trudeau is set to hold talks with Japanese Prime Minister "
                   "Fumio Kishida in Tokyo later this week.",
                   title="Trudeau due in Tokyo for talks with Kishida", day="2023-01-09")
    assert [(e.status, e.date) for e in _contacts(r)] == [(EventStatus.PLANNED, None)]


def test_first_since_is_a_milestone_not_a_historical_mention(enrich_one: EnrichOne) -> None:
    r = enrich_one("Cyril Ramaphosa met Narendra Modi in New Delhi on Monday, the first visit by a South "
                   "African president since 2019.", day="2023-01-30")
    [meet] = _contacts(r)
    assert meet.status is EventStatus.OCCURRED


def test_headline_naming_two_of_a_trilateral_is_that_trilateral(enrich_one: EnrichOne) -> None:
    r = enrich_one("Prime Minister Anthony Albanese met Narendra Modi and Fumio Kishida at Kirribilli House "
                   "on Saturday.", title="Albanese, Modi meet in Sydney", day="2023-05-20")
    [meet] = _contacts(r)
    assert len(meet.participants) == 3


def test_named_retreat_is_kept_as_the_place(enrich_one: EnrichOne) -> None:
    r = enrich_one("WASHINGTON — Joe Biden hosted Yoon Suk Yeol at Camp David on Friday.", day="2023-08-18")
    [meet] = _contacts(r)
    assert meet.location is not None and meet.location.name == "Camp David"


def test_visit_location_is_its_destination_not_the_dateline(enrich_one: EnrichOne) -> None:
    r = enrich_one("LONDON — British Foreign Secretary James Cleverly postponed his visit to Beijing.",
                   day="2023-02-10")
    [visit] = [e for e in r.events if e.type is EventType.VISIT]
    assert visit.status is EventStatus.CANCELLED
    assert visit.location is not None and visit.location.name == "Beijing"


def test_generic_and_specific_charge_are_one_event(enrich_one: EnrichOne) -> None:
    r = enrich_one("Ukrainian President Volodymyr Zelenskyy accused Russian President Vladimir Putin of "
                   "war crimes on Tuesday.", title="Zelenskyy condemns Putin", day="2023-03-14")
    assert [e.type for e in r.events] == [EventType.ACCUSE]


# --------------------------------------------------------------------------- when a contact is news
# An explicit date more than ten days before publication makes a contact background, whichever
# clause carries it; a date without a year is read as the occurrence nearest publication.


def test_a_meeting_dated_weeks_before_publication_is_background(enrich_one: EnrichOne) -> None:
    for text in (
        "Olaf Scholz met Emmanuel Macron in Marseille on August 3 to discuss energy prices.",
        "Olaf Scholz met Emmanuel Macron in Marseille in July to discuss energy prices.",
        "Two years ago Olaf Scholz hosted Emmanuel Macron in Berlin.",
    ):
        assert _contacts(enrich_one(text, day="2023-08-18")) == [], text


def test_a_date_without_a_year_days_ahead_is_a_plan_not_last_year(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz will meet Emmanuel Macron in Marseille on August 23.", day="2023-08-18")
    [meet] = _contacts(r)
    assert meet.status is EventStatus.PLANNED and meet.date == dt.date(2023, 8, 23)


def test_a_when_clause_and_a_purpose_clause_take_the_time_of_their_main_clause(enrich_one: EnrichOne) -> None:
    for text in (
        "The alliance's chief last travelled to Poland in May, when he met Andrzej Duda in Warsaw "
        "days after holding talks with Olaf Scholz in Berlin.",
        "In May, Olaf Scholz travelled to Warsaw to meet with Andrzej Duda.",
    ):
        assert _contacts(enrich_one(text, day="2023-08-18")) == [], text
    r = enrich_one("Olaf Scholz met Emmanuel Macron in Paris on Thursday, when the two leaders discussed "
                   "energy prices.", day="2023-08-18")
    assert [m.status for m in _contacts(r)] == [EventStatus.OCCURRED]


def test_due_in_a_city_for_talks_is_a_plan(enrich_one: EnrichOne) -> None:
    r = enrich_one("On Sunday Olaf Scholz is due in Warsaw for talks with Polish Prime Minister Mateusz "
                   "Morawiecki.", day="2023-08-18")
    [meet] = _contacts(r)
    assert meet.status is EventStatus.PLANNED and meet.date == dt.date(2023, 8, 20)


def test_a_party_president_is_no_leader(enrich_one: EnrichOne) -> None:
    r = enrich_one("Pervez Musharraf also met Maria Rossi, the president of the ruling Unity party, and "
                   "opposition lawmakers.", day="2005-04-18")
    assert _contacts(r) == []


def test_a_leader_named_in_a_side_clause_is_context_not_a_participant(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron greeted Olaf Scholz at the Elysee Palace, two days after the Social "
                   "Democrat was sworn in as successor to Angela Merkel.", day="2021-12-10")
    [meet] = _contacts(r)
    assert {p.name for p in meet.participants} == {"Emmanuel Macron", "Olaf Scholz"}
    r = enrich_one("Joe Biden met Fumio Kishida at a summit hosted by Joko Widodo in Bali.", day="2022-11-14")
    [meet] = _contacts(r)
    assert {p.name for p in meet.participants} == {"Joe Biden", "Fumio Kishida"}


def test_a_group_summit_is_no_meeting_of_its_guests_but_its_sidelines_are(enrich_one: EnrichOne) -> None:
    day = "2023-05-15"
    plan = enrich_one("Emmanuel Macron and Olaf Scholz will meet again next week at the G7 summit in "
                      "Hiroshima.", day=day)
    assert _contacts(plan) == []
    crowd = enrich_one("Joe Biden, Rishi Sunak, Olaf Scholz and Emmanuel Macron held talks at the G7 "
                       "summit in Hiroshima on Saturday.", day=day)
    assert _contacts(crowd) == []
    side = enrich_one("Emmanuel Macron met Olaf Scholz on the sidelines of the G7 summit in Hiroshima on "
                      "Saturday.", day=day)
    [meet] = _contacts(side)
    assert meet.status is EventStatus.OCCURRED and len(meet.participants) == 2


def test_a_town_the_index_lacks_is_placed_by_the_country_after_it(enrich_one: EnrichOne) -> None:
    r = enrich_one("Ilham Aliyev and Nikol Pashinyan are scheduled to meet on October 5 in Granada, Spain.",
                   day="2023-09-25")
    [meet] = _contacts(r)
    assert meet.location is not None and (meet.location.name, meet.location.country) == ("Granada", "ES")


def test_a_where_clause_happens_at_the_place_it_hangs_off(enrich_one: EnrichOne) -> None:
    r = enrich_one("George W. Bush arrived in Bratislava on Wednesday evening from Mainz, Germany, where he "
                   "had held talks with German Chancellor Gerhard Schröder earlier that day.",
                   day="2005-02-24")
    [meet] = _contacts(r)
    assert meet.location is not None and meet.location.name == "Mainz"


def test_a_temporal_clause_with_its_own_subject_has_its_own_people(enrich_one: EnrichOne) -> None:
    r = enrich_one("Xi Jinping arrived in Moscow on Monday, two days after Vladimir Putin held talks with "
                   "Alexander Lukashenko.", day="2023-03-20")
    people = [{p.name for p in m.participants} for m in _contacts(r)]
    assert people == [{"Vladimir Putin", "Alexander Lukashenko"}]
    r = enrich_one("After meeting with Xi Jinping on Friday, Antony Blinken said China had made a "
                   "commitment.", day="2023-06-20")
    [meet] = _contacts(r)
    assert {p.name for p in meet.participants} == {"Xi Jinping", "Antony Blinken"}


def test_a_call_that_puts_off_a_visit_happened_and_the_visit_is_off(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz spoke by telephone on Saturday with Emmanuel Macron and asked to put off the "
                   "visit. Talks between Olaf Scholz and Emmanuel Macron were to have opened on Sunday in "
                   "Paris.", day="2023-07-01")
    kinds = {(e.type, e.status) for e in _contacts(r)}
    assert (EventType.CALL, EventStatus.OCCURRED) in kinds
    assert (EventType.MEET, EventStatus.CANCELLED) in kinds
    assert all(e.status is not EventStatus.PLANNED for e in _contacts(r))


def test_last_week_and_where_or_and_clauses_take_their_main_clause_time(enrich_one: EnrichOne) -> None:
    day = "2023-10-24"
    for text in (
        "Joe Biden briefed Olaf Scholz by phone on his visit to Israel last week, where he met with "
        "Benjamin Netanyahu.",
        "Joe Biden recalled his visit to Jeddah in July 2022, where he met with Benjamin Netanyahu.",
        "In July 2005 Gerhard Schröder came to Kaliningrad, and Jacques Chirac held talks with him there.",
    ):
        meetings = [e for e in _contacts(enrich_one(text, day=day)) if e.type is EventType.MEET]
        assert meetings == [], text


def test_the_host_of_a_group_meeting_joins_no_bilateral_held_at_it(enrich_one: EnrichOne) -> None:
    r = enrich_one("On the sidelines of the BRICS summit in Johannesburg, Xi Jinping met with Narendra Modi. "
                   "The BRICS Heads of State Council meeting is being hosted by President of South Africa "
                   "Cyril Ramaphosa.", day="2023-08-23")
    assert [{p.name for p in m.participants} for m in _contacts(r)] == [{"Xi Jinping", "Narendra Modi"}]


def test_two_conjoined_meetings_with_their_own_people_are_two_meetings(enrich_one: EnrichOne) -> None:
    r = enrich_one("On Monday Vladimir Putin received Alexander Lukashenko and then held talks with "
                   "Kassym-Jomart Tokayev.", day="2023-05-08")
    people = sorted(sorted(p.name for p in m.participants) for m in _contacts(r))
    assert people == [["Alexander Lukashenko", "Vladimir Putin"], ["Kassym-Jomart Tokayev", "Vladimir Putin"]]
    r = enrich_one("Vladimir Putin met Xi Jinping and held talks with him on trade.", day="2023-03-21")
    assert [{p.name for p in m.participants} for m in _contacts(r)] == [{"Vladimir Putin", "Xi Jinping"}]


def test_a_title_used_to_address_someone_names_no_leader(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin: Madam Federal Chancellor, I am very glad to see you in Moscow.",
                   day="2021-08-20", url="http://en.kremlin.ru/events/president/news/1")
    resolved = {e.canonical for e in r.entities if e.label == "PERSON"}
    assert "Mikhail Mishustin" not in resolved  # not the publisher's own head of government
    assert "Vladimir Putin" in resolved


def test_calling_someone_names_and_welcoming_a_decision_or_a_briefing_topic_is_no_contact(
    enrich_one: EnrichOne,
) -> None:
    day = "2019-04-26"
    for text in (
        "Speaking in Ankara on Sunday, Recep Tayyip Erdogan hit back, calling Benjamin Netanyahu a tyrant.",
        "Donald Trump welcomed Shinzo Abe's decision to attend the forum.",
        "Donald Trump briefed Shinzo Abe on his summit with Moon Jae-in.",
    ):
        assert _contacts(enrich_one(text, day=day)) == [], text


def test_a_range_of_days_starts_on_its_first_day() -> None:
    from newswire.enrich.events.dates import resolve_date_text

    published = dt.date(2019, 4, 26)
    assert resolve_date_text("May 25 to 28", published, future=True) == dt.date(2019, 5, 25)
    assert resolve_date_text("February 27 and 28", published, future=False) == dt.date(2019, 2, 27)
