"""Event types beyond meetings, and article-level rules (video lead, previews, group references,
agreed visits, bilateral side meetings). Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from newswire.contracts import EnrichedArticle, EventStatus, EventType, Medium

EnrichOne = Callable[..., EnrichedArticle]

KREMLIN = "http://en.kremlin.ru/events/president/news/1"


def _of(result, etype):  # type: ignore[no-untyped-def]
    return [e for e in result.events if e.type is etype]


def _names(event) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.name for p in event.participants}


def test_visit(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron arrived in Beijing on Tuesday for a state visit.", day="2023-04-06")
    [visit] = _of(r, EventType.VISIT)
    assert _names(visit) == {"Emmanuel Macron"}
    assert visit.location is not None and visit.location.name == "Beijing"


def test_agreement_signed_by_two_leaders(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz and Emmanuel Macron signed a treaty on energy cooperation in Paris.",
                   day="2023-01-22")
    [agree] = _of(r, EventType.AGREE)
    assert _names(agree) == {"Olaf Scholz", "Emmanuel Macron"}


def test_accuse(enrich_one: EnrichOne) -> None:
    r = enrich_one("Volodymyr Zelenskyy accused Vladimir Putin of blocking grain exports.", day="2022-07-01")
    [accuse] = _of(r, EventType.ACCUSE)
    assert "Vladimir Putin" in _names(accuse)
    assert _of(r, EventType.MEET) == []


def test_criticize(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden sharply criticized Xi Jinping over the balloon incident.", day="2023-02-10")
    [crit] = _of(r, EventType.CRITICIZE)
    assert "Joe Biden" in _names(crit)
    assert _of(r, EventType.MEET) == []


def test_sanction(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden announced new sanctions on Russian banks.", day="2022-02-24")
    assert _of(r, EventType.SANCTION)


def test_postponed_meeting(enrich_one: EnrichOne) -> None:
    r = enrich_one("A meeting between Olaf Scholz and Narendra Modi in Berlin has been postponed.",
                   day="2023-05-02")
    [meet] = _of(r, EventType.MEET)
    assert meet.status is EventStatus.CANCELLED


def test_the_two_leaders_are_the_pair_just_named(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron spoke by phone with Justin Trudeau on Monday. "
                   "The two leaders agreed to meet in Ottawa in the near future.", day="2023-03-08")
    [plan] = [e for e in _of(r, EventType.MEET) if e.status is EventStatus.PLANNED]
    assert _names(plan) == {"Emmanuel Macron", "Justin Trudeau"}
    assert plan.location is not None and plan.location.name == "Ottawa"


def test_they_is_the_pair_of_the_previous_sentence(enrich_one: EnrichOne) -> None:
    r = enrich_one("Fumio Kishida will host Olaf Scholz in Tokyo on Saturday. "
                   "They will have lunch on Sunday.",
                   day="2023-03-15")
    plans = [e for e in _of(r, EventType.MEET) if e.status is EventStatus.PLANNED]
    assert plans and all(_names(p) == {"Fumio Kishida", "Olaf Scholz"} for p in plans)


def test_a_lone_they_resolves_to_nothing(enrich_one: EnrichOne) -> None:
    r = enrich_one("Prices rose again. They will meet in Paris next week.", day="2023-03-15")
    assert _of(r, EventType.MEET) == []


def test_video_in_the_lead_makes_the_headline_meeting_a_video_call(enrich_one: EnrichOne) -> None:
    r = enrich_one("The talks were held via videoconference. The sides discussed trade and transport.",
                   day="2022-09-02", url=KREMLIN,
                   title="Talks with President of Kazakhstan Kassym-Jomart Tokayev")
    [call] = [e for e in r.events if e.type in (EventType.MEET, EventType.CALL)]
    assert (call.type, call.medium) == (EventType.CALL, Medium.VIDEO)
    assert _names(call) == {"Vladimir Putin", "Kassym-Jomart Tokayev"}


def test_summit_by_video_link_is_never_in_person(enrich_one: EnrichOne) -> None:
    r = enrich_one("Xi Jinping chaired the summit, held by video link. Vladimir Putin, Narendra Modi, "
                   "Kassym-Jomart Tokayev and Shavkat Mirziyoyev also took part in the summit.",
                   day="2022-07-04")
    contacts = [e for e in r.events if e.type in (EventType.MEET, EventType.CALL)]
    assert contacts and all(e.medium is Medium.VIDEO for e in contacts)


def test_in_person_meeting_after_a_video_lead_stays_in_person(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin held a meeting with Security Council members via videoconference. "
                   "Later that day Vladimir Putin met Alexander Lukashenko in the Kremlin.", day="2022-09-02")
    [meet] = _of(r, EventType.MEET)
    assert meet.medium is Medium.IN_PERSON and _names(meet) == {"Vladimir Putin", "Alexander Lukashenko"}


def test_date_after_publication_means_planned(enrich_one: EnrichOne) -> None:
    r = enrich_one("Recep Tayyip Erdogan meets Vladimir Putin in Sochi on September 4.", day="2023-09-01")
    [meet] = _of(r, EventType.MEET)
    assert meet.status is EventStatus.PLANNED and meet.date == dt.date(2023, 9, 4)


def test_present_progressive_preview_is_planned(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden is hosting Fumio Kishida on Friday at the White House. "
                   "The two leaders will hold talks on trade and security.", day="2023-01-11")
    meets = _of(r, EventType.MEET)
    assert meets and all(e.status is EventStatus.PLANNED for e in meets)
    assert dt.date(2023, 1, 13) in {e.date for e in meets}


def test_future_headline_makes_present_tense_planned(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz meets Emmanuel Macron in Paris on Friday.", day="2023-01-18",
                   title="Scholz to Meet Macron in Paris")
    [meet] = _of(r, EventType.MEET)
    assert meet.status is EventStatus.PLANNED and meet.date == dt.date(2023, 1, 20)


def test_past_report_is_not_turned_into_a_preview(enrich_one: EnrichOne) -> None:
    r = enrich_one("Olaf Scholz met Emmanuel Macron in Paris on Friday. "
                   "The two leaders will meet again in May.",
                   day="2023-01-21")
    occurred = [e for e in _of(r, EventType.MEET) if e.status is EventStatus.OCCURRED]
    assert len(occurred) == 1 and occurred[0].date == dt.date(2023, 1, 20)


def test_bilateral_meetings_with_each_are_separate_planned_pairs(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin, Ilham Aliyev and Nikol Pashinyan will meet in Moscow on Monday. "
                   "Vladimir Putin "
                   "is also expected to hold bilateral talks with Ilham Aliyev and Nikol Pashinyan.",
                   day="2022-10-27")
    plans = {frozenset(_names(e)): e for e in _of(r, EventType.MEET) if e.status is EventStatus.PLANNED}
    assert frozenset({"Vladimir Putin", "Ilham Aliyev"}) in plans
    assert frozenset({"Vladimir Putin", "Nikol Pashinyan"}) in plans
    side = plans[frozenset({"Vladimir Putin", "Nikol Pashinyan"})]
    assert side.location is not None and side.location.name == "Moscow" and side.date == dt.date(2022, 10, 31)


def test_agreed_visit_is_a_planned_meeting_with_the_host(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin had a telephone conversation with Kassym-Jomart Tokayev. "
                   "It was agreed that "
                   "the President of Kazakhstan would visit Russia in the near future.",
                   day="2022-10-03", url=KREMLIN)
    [plan] = [e for e in _of(r, EventType.MEET) if e.status is EventStatus.PLANNED]
    assert _names(plan) == {"Vladimir Putin", "Kassym-Jomart Tokayev"}
    assert plan.location is not None and plan.location.country == "RU"


def test_expected_visit_without_contact_is_no_meeting(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin spoke at the forum. "
                   "We expect the President of Kazakhstan to visit Moscow soon.",
                   day="2022-10-03", url=KREMLIN)
    assert _of(r, EventType.MEET) == []


def test_bilateral_talks_of_he_go_to_the_leader_named_before(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin will host a trilateral summit in Moscow on Monday. "
                   "He is also expected to hold "
                   "separate bilateral talks with Ilham Aliyev and Nikol Pashinyan.", day="2022-10-27")
    pairs = {frozenset(_names(e)) for e in _of(r, EventType.MEET)}
    assert frozenset({"Ilham Aliyev", "Nikol Pashinyan"}) not in pairs
    assert frozenset({"Vladimir Putin", "Ilham Aliyev"}) in pairs


TRANSCRIPT = ("PRIME MINISTER KISHIDA:  Thank you, Joe. We had a frank discussion on trade.\n\n"
              "PRESIDENT BIDEN:  Thank you. And this morning we had a very good meeting "
              "with Olaf and his team.")


def test_transcript_speaker_and_first_name(enrich_one: EnrichOne) -> None:
    r = enrich_one(TRANSCRIPT, day="2023-05-19", url="https://www.whitehouse.gov/briefing-room/speeches-remarks/x")
    pairs = {frozenset(_names(e)) for e in _of(r, EventType.MEET) if e.status is EventStatus.OCCURRED}
    assert frozenset({"Joe Biden", "Olaf Scholz"}) in pairs


def test_first_names_outside_transcripts_stay_unlinked(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden said we had a good meeting with Olaf yesterday.", day="2023-05-19")
    assert all("Olaf Scholz" not in _names(e) for e in r.events)


def test_sidelines_of_a_forum_places_the_meeting_in_its_city(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin met Kassym-Jomart Tokayev on the sidelines of the Eastern Economic Forum.",
                   day="2022-09-07")
    [meet] = _of(r, EventType.MEET)
    assert meet.location is not None and meet.location.name == "Vladivostok"


def test_meeting_under_way_stays_news(enrich_one: EnrichOne) -> None:
    r = enrich_one("Joe Biden and Fumio Kishida are meeting in Hiroshima for two days of talks. "
                   "The two leaders will hold a second round of talks on Saturday.", day="2023-05-19")
    occurred = [e for e in _of(r, EventType.MEET) if e.status is EventStatus.OCCURRED]
    assert [_names(e) for e in occurred] == [{"Joe Biden", "Fumio Kishida"}]


def test_the_upcoming_summit_takes_date_and_place_of_its_announcement(enrich_one: EnrichOne) -> None:
    r = enrich_one("At Xi Jinping's invitation, a summit of Central Asian leaders will be held on May 18. "
                   "Participants in the upcoming summit include Kassym-Jomart Tokayev, Sadyr Japarov, "
                   "Emomali Rahmon and Shavkat Mirziyoyev.", day="2023-05-10")
    [plan] = [e for e in _of(r, EventType.MEET) if e.status is EventStatus.PLANNED]
    assert plan.date == dt.date(2023, 5, 18) and "Xi Jinping" in _names(plan)


def test_called_off_is_not_a_phone_call(enrich_one: EnrichOne) -> None:
    r = enrich_one("The planned meeting between Olaf Scholz and Xi Jinping was called off.", day="2023-04-02")
    assert _of(r, EventType.CALL) == []
    [meet] = _of(r, EventType.MEET)
    assert meet.status is EventStatus.CANCELLED


def test_called_on_is_not_a_phone_call(enrich_one: EnrichOne) -> None:
    r = enrich_one("Emmanuel Macron called on Xi Jinping to help end the war.", day="2023-04-02")
    assert _of(r, EventType.CALL) == []


def test_he_as_subject_is_the_leader_just_named(enrich_one: EnrichOne) -> None:
    r = enrich_one("Shinzo Abe arrived in New Delhi on Friday. He will meet Narendra Modi on Saturday.",
                   day="2017-09-15")
    [plan] = [e for e in _of(r, EventType.MEET) if e.status is EventStatus.PLANNED]
    assert _names(plan) == {"Shinzo Abe", "Narendra Modi"} and plan.date == dt.date(2017, 9, 16)


def test_the_meeting_counts_who_held_it(enrich_one: EnrichOne) -> None:
    r = enrich_one("Vladimir Putin held a meeting with Security Council members via videoconference. "
                   "Taking part in the meeting were Mikhail Mishustin and Sergei Lavrov.", day="2021-10-01")
    [call] = [e for e in r.events if e.type in (EventType.MEET, EventType.CALL)]
    assert call.medium is Medium.VIDEO
    assert _names(call) == {"Vladimir Putin", "Mikhail Mishustin", "Sergey Lavrov"}


def test_month_end_reads_a_bare_month_as_its_nearest_occurrence() -> None:
    from newswire.enrich.events.dates import month_end

    published = dt.date(2023, 8, 18)
    assert month_end("July", published) == dt.date(2023, 7, 31)
    assert month_end("in October", published) == dt.date(2023, 10, 31)  # ahead, not ten months back
    assert month_end("last August", published) == dt.date(2022, 8, 31)
    assert month_end("March 2019", published) == dt.date(2019, 3, 31)
    assert month_end("December", dt.date(2024, 1, 10)) == dt.date(2023, 12, 31)
    assert month_end("July 5", published) is None and month_end("the summer", published) is None
