"""Article-level rules: what one sentence cannot decide alone.

* Medium: a lead that says the meeting was held "via videoconference" makes the headline's meeting,
  later mentions of the same people and "the meeting"/"the summit" video calls, unless a sentence
  puts the people in a place or says "in person". Sentence splits in the lead do not matter: the
  lead is the title plus the first body sentences.
* Previews: a meeting told in the present ("is hosting X Friday") in an article that otherwise
  speaks of it in the future ("the two presidents will hold talks"), or under a future headline
  ("Leaders to Address ..."), is planned, not news of a meeting that happened.
* Sub-meetings: bilateral talks announced alongside a planned trilateral take its date and place.
* Agreed visits: "it was agreed that X would visit Russia" is a planned meeting of X with Russia's
  leader, when the article shows the two in contact (a call, talks).
* Gatherings: "the upcoming summit" takes the date, place and host of the sentence that announced it.
* Headlines: a future headline ("Macron to host Scholz", "Sunak due in Paris") makes its own meeting
  planned; a headline naming two of the three people of the lead's trilateral is that trilateral.
* A meeting without a place, on the day a participant visits one city, is in that city.
* Hosted visits: a visit whose sentence names a leader of the country visited is also their meeting.
* Earlier contacts: a meeting or call dated two or more days before publication is background,
  unless it is the article's subject or a stop of the subject's trip.
* One predicate, one event: a generic charge between the same people as a specific one (the
  lexicon's folds_into, "criticises" beside "accused ... of genocide") is that charge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from newswire.contracts import EventStatus, EventType, Medium

from ..components.extensions import LeaderRef
from ..components.places import Place
from ..knowledge import KnowledgeBase
from .model import EventMention, Where
from .status import has_phrase

__all__ = ["Anchor", "Candidate", "future_title", "refine"]

_LEAD_SENTENCES = 2  # body sentences that, with the title, make the lead
_CONTACT = frozenset({EventType.MEET, EventType.CALL})


@dataclass(frozen=True)
class Candidate:
    """An EventMention with what the article-level rules need to know about its sentence."""

    mention: EventMention
    sent_index: int
    present: bool  # told in the present tense ("is hosting", "meets"), no time-of-day cue
    future_date: dt.date | None  # its date read forward, should the article be a preview
    gathering: bool  # trigger is a definite gathering noun: "the meeting", "the BRICS Summit"
    in_person: bool  # the sentence itself says "in person" / "face-to-face"
    destination: Place | None = None  # VISIT: the country or city visited
    lemma: str = ""  # of the trigger word
    spoken: bool = False  # only a verb of speaking ("spoke to X"): a call if the headline names one


@dataclass(frozen=True)
class Anchor:
    """A sentence that introduces a gathering without naming two of its people ("an informal summit
    will be held on December 28 in St Petersburg"): later "the summit" takes its date and place."""

    lemma: str
    sent_index: int
    leaders: tuple[str, ...]
    status: EventStatus
    date: dt.date | None
    location: Where | None


@dataclass(frozen=True)
class LeadFacts:
    """What the title and lead say about the article's main event."""

    end: int  # character offset where the lead ends
    title_end: int  # character offset where the body starts
    video: bool  # a video cue next to a meeting word in the lead
    future_title: bool  # "Presidents to Address ...", "X will meet Y"
    leaders: frozenset[str]  # leader ids named in the title and lead
    call: bool = False  # the headline names a call: "PM call with President X"


def lead_facts(doc: Doc, video_sents: Iterable[Span], future_words: frozenset[str] = frozenset(),
               call_words: Iterable[str] = ()) -> LeadFacts:
    """`video_sents`: sentences with a video cue and a meeting word (from the trigger finder)."""
    title_end = doc._.title_end or 0
    end, body_seen = 0, 0
    for sent in doc.sents:
        end = sent.end_char
        if sent.start_char >= title_end:
            body_seen += 1
            if body_seen >= _LEAD_SENTENCES:
                break
    video = any(s.start_char < end for s in video_sents)
    leaders = frozenset(e.kb_id_ for e in doc.ents
                        if e.label_ == "PERSON" and e.kb_id_ and e.start_char < end)
    title = doc.text[:title_end].lower()
    call = bool(title_end) and has_phrase(title, list(call_words))
    return LeadFacts(end=end, title_end=title_end, video=video,
                     future_title=future_title(doc, title_end, future_words), leaders=leaders, call=call)


def future_title(doc: Doc, title_end: int, future_words: frozenset[str]) -> bool:
    """Headline future: "X will host Y", "Obama to Meet Xi", "Presidents to Address ...". Title case
    confuses the tagger ("Meet" comes out a proper noun), so the shape decides: 'to' between a person
    (or a plural such as "Presidents") and a word that is neither a name nor a place."""
    for tok in doc:
        if tok.idx >= title_end or tok.i + 1 >= len(doc):
            return False
        if tok.i == 0:
            continue
        nxt, prev = doc[tok.i + 1], doc[tok.i - 1]
        if nxt.idx >= title_end or not nxt.is_alpha:
            continue
        if tok.lower_ == "will" and nxt.tag_ in ("VB", "NNP", "NN"):
            return True
        if tok.lower_ in future_words and prev.ent_type_ == "PERSON":  # "Sunak due in Paris"
            return True
        if tok.lower_ == "to" and not nxt.ent_type_ and nxt.pos_ != "DET" and (
                prev.ent_type_ == "PERSON" or prev.tag_ in ("NNS", "NNPS")):
            return True
    return False


def refine(doc: Doc, found: list[Candidate], anchors: list[Anchor], lead: LeadFacts, kb: KnowledgeBase,
           leaders: dict[str, LeaderRef], day: dt.date) -> list[EventMention]:
    found = _spoken(found, lead)
    found = [_from_anchor(c, anchors) for c in found]
    found = [_by_video(c, lead) for c in found]
    found = [_by_call(c, lead) for c in found]
    found = _previews(found, lead, undated=bool(doc._.undated))
    found = _future_headline(found, lead)
    mentions = [c.mention for c in found]
    mentions += _agreed_visits(found, kb, leaders, day)
    mentions += _hosted_visits(found, leaders)
    mentions = _headline_of_larger(mentions, lead)
    mentions = _fold_types(mentions, kb.lexicon.folds_into)
    if not doc._.undated:  # "two days before publication" needs a publication
        mentions = _earlier_contacts(mentions, day)
    mentions = _visit_goes_where_it_meets(mentions)
    mentions = _met_where_the_visit_went(mentions)
    mentions = _planned_where_the_trip_goes(mentions)
    mentions = _called_off_plans(mentions)
    mentions = _office_holders_only(mentions, kb, day, undated=bool(doc._.undated))
    return _inherit_from_larger_plan(mentions)


def _called_off_plans(mentions: list[EventMention]) -> list[EventMention]:
    """'Obama canceled a planned summit in Moscow with Putin ... Obama had been scheduled to hold
    talks with Putin in Moscow': the plan the article reports called off is that cancellation."""
    off = [m for m in mentions if m.type is EventType.MEET and m.status is EventStatus.CANCELLED]

    def called_off(m: EventMention) -> bool:
        return m.type is EventType.MEET and m.status is EventStatus.PLANNED and any(
            set(c.participants) == set(m.participants)
            and (c.location is None or m.location is None or c.location.name == m.location.name)
            for c in off)

    return [m for m in mentions if not called_off(m)]


_ELECT = dt.timedelta(days=80)  # from an election to the swearing-in, at the longest usual


def _office_holders_only(mentions: list[EventMention], kb: KnowledgeBase, day: dt.date, *,
                         undated: bool) -> list[EventMention]:
    """A contact is between people in office on its day: a former president or a future prime
    minister the knowledge base dates out of office then ('met former President X', 'met opposition
    leader Y') is no party to a leaders' meeting; one sworn in within weeks of it is (an elected
    president between election and inauguration). People the base does not know stay."""
    if undated:
        return mentions  # no day to hold an office on
    out = []
    for m in mentions:
        if m.type in _CONTACT:
            # on its own day or the article's (a misread date unseats no one), or about to take
            # office then (a president-elect)
            days = [d for d in (day, m.date) if d is not None]
            kept = tuple(p for p in m.participants if p not in kb.by_id
                         or any(kb.in_office(p, d) or kb.in_office(p, d + _ELECT) for d in days))
            if len(kept) < 2:
                continue
            m = replace(m, participants=kept) if len(kept) < len(m.participants) else m
        out.append(m)
    return out


_STALE = dt.timedelta(days=2)  # news is today's or yesterday's; older contacts are background


def _earlier_contacts(mentions: list[EventMention], day: dt.date) -> list[EventMention]:
    """A meeting or call dated two or more days before publication is background ('in the follow-up
    to the meeting ... on May 16', 'the outcome of Aliyev's April 6 talks in Brussels'), unless it
    is the article's own subject (its first reported event) or a stop of the subject's trip: a visit
    or meeting that shares a person with it ('came two days after Guterres was received in Moscow')."""
    if not mentions:
        return mentions
    first = min(m.sent_start for m in mentions)
    subject = [m for m in mentions if m.sent_start == first]
    travellers = {p for m in subject if m.status is EventStatus.OCCURRED and m.medium is not Medium.VIDEO
                  and m.type in (EventType.MEET, EventType.VISIT) for p in m.participants}

    def stale(m: EventMention) -> bool:
        return (m.type in _CONTACT and m.status is EventStatus.OCCURRED and m.date_explicit
                and m.date is not None and m.date <= day - _STALE and m.sent_start != first
                and not travellers.intersection(m.participants))

    return [m for m in mentions if not stale(m)]


def _visit_goes_where_it_meets(mentions: list[EventMention]) -> list[EventMention]:
    """'Blinken visit postponed' with no place of its own: the visit goes where the visitor's meeting
    of the same status is ('his trip to Beijing, where he had been expected to meet Qin Gang')."""
    out = []
    for m in mentions:
        if m.type is EventType.VISIT and m.location is None:
            places = {c.location for c in mentions if c.type is EventType.MEET and c.status is m.status
                      and c.location is not None and set(m.participants) <= set(c.participants)}
            if len(places) == 1:
                m = replace(m, location=places.pop())
        out.append(m)
    return out


def _met_where_the_visit_went(mentions: list[EventMention]) -> list[EventMention]:
    """'Bennett made a working visit to Moscow. Putin held talks with Bennett': a meeting with no
    place of its own, on the day of a visitor's visit to one city, took place in that city."""
    calls = {(frozenset(c.participants), c.date) for c in mentions
             if c.type is EventType.CALL and c.status is EventStatus.OCCURRED}
    out = []
    for m in mentions:
        if (m.type is EventType.MEET and m.medium is not Medium.VIDEO and m.location is None
                and (frozenset(m.participants), m.date) not in calls):  # that "meeting" is the call
            places = {v.location for v in mentions if v.type is EventType.VISIT and v.status is m.status
                      and v.location is not None and v.location.strength >= 3 and v.date == m.date
                      and set(v.participants) & set(m.participants)}
            if len(places) == 1:
                m = replace(m, location=places.pop())
        out.append(m)
    return out


def _planned_where_the_trip_goes(mentions: list[EventMention]) -> list[EventMention]:
    """An itinerary: 'On Sunday the President will travel to Addis Ababa. On Monday he will hold a
    bilateral meeting with the Prime Minister': a planned meeting with no place of its own is in the
    city the last planned trip of one of its people, told before it and not dated after it, goes to."""
    trips = [v for v in mentions if v.type is EventType.VISIT and v.status is EventStatus.PLANNED
             and v.location is not None and v.location.strength >= 3]
    out = []
    for m in mentions:
        if m.type is EventType.MEET and m.status is EventStatus.PLANNED and m.medium is not Medium.VIDEO \
                and m.location is None:
            before = [v for v in trips if v.sent_start < m.sent_start
                      and set(v.participants) & set(m.participants)
                      and (v.date is None or m.date is None or v.date <= m.date)]
            if before:
                m = replace(m, location=max(before, key=lambda v: v.sent_start).location)
        out.append(m)
    return out


def _in_title(m: EventMention, lead: LeadFacts) -> bool:
    return m.sent_start < lead.title_end


def _future_headline(found: list[Candidate], lead: LeadFacts) -> list[Candidate]:
    """The headline's own meeting, under a future headline, is planned; it has no date or place of
    its own (a dateline is where the story was filed)."""
    if not lead.future_title:
        return found
    return [replace(c, mention=replace(c.mention, status=EventStatus.PLANNED, date=None, date_explicit=False,
                                       location=None))
            if _in_title(c.mention, lead) and c.mention.status is EventStatus.OCCURRED
            and c.mention.type in _CONTACT else c
            for c in found]


def _headline_of_larger(mentions: list[EventMention], lead: LeadFacts) -> list[EventMention]:
    """'Biden, Kishida meet at Camp David' over 'Biden met Kishida and Yoon at Camp David': a headline
    names only some of the people of the lead's meeting. Only the headline: in the body, a trilateral
    beside its bilaterals stays three events."""
    body = [m for m in mentions if not _in_title(m, lead) and m.sent_start < lead.end]
    out = []
    for m in mentions:
        if _in_title(m, lead):
            larger = [b for b in body if (b.type, b.status, b.medium) == (m.type, m.status, m.medium)
                      and set(m.participants) < set(b.participants)]
            if len(larger) == 1:
                m = replace(m, participants=larger[0].participants)
        out.append(m)
    return out


def _fold_types(mentions: list[EventMention], folds_into: dict[EventType, EventType]) -> list[EventMention]:
    """An event of a generic type between the same people as one of the specific type it folds into
    is that event (the merge then joins their evidence)."""
    specific = {(m.type, frozenset(m.participants), m.status) for m in mentions}
    return [replace(m, type=folds_into[m.type])
            if m.type in folds_into and (folds_into[m.type], frozenset(m.participants), m.status) in specific
            else m
            for m in mentions]


def _from_anchor(c: Candidate, anchors: list[Anchor]) -> Candidate:
    """'The upcoming summit' after the sentence that set its date and place; the gathering also counts
    the people named with it there ("At Putin's initiative, a summit ...", "Putin held a meeting with
    Security Council members")."""
    m = c.mention
    if not c.gathering:
        return c
    anchor = next((a for a in anchors if a.lemma == c.lemma and a.sent_index < c.sent_index
                   and a.status is m.status), None)
    if anchor is None:
        return c
    people = tuple(dict.fromkeys([*anchor.leaders, *m.participants]))
    date, explicit = m.date, m.date_explicit
    if anchor.date is not None and not explicit:
        date, explicit = anchor.date, True
    return replace(c, mention=replace(m, participants=people, date=date, date_explicit=explicit,
                                      location=m.location or anchor.location))


def _by_video(c: Candidate, lead: LeadFacts) -> Candidate:
    m = c.mention
    if not lead.video or m.type is not EventType.MEET or m.status is not EventStatus.OCCURRED:
        return c
    if c.in_person or (m.location is not None and m.location.strength >= 2):
        return c  # the sentence puts them in one place: a separate, physical meeting
    same_people = len(lead.leaders) >= 2 and set(m.participants) <= lead.leaders
    if m.sent_start < lead.end or same_people or c.gathering:
        return replace(c, mention=replace(m, type=EventType.CALL, medium=Medium.VIDEO, location=None))
    return c


def _spoken(found: list[Candidate], lead: LeadFacts) -> list[Candidate]:
    """'The Prime Minister spoke to President X today' is the call of a headline that names one; with
    no such headline, speaking with someone is no event of its own (it may be in the same room)."""
    return [c for c in found if lead.call or not c.spoken]


def _by_call(c: Candidate, lead: LeadFacts) -> Candidate:
    """Under a call headline, a 'meeting' or 'talks' of the headline's people with no place of their own
    is that call ('the two leaders discussed ...', 'during the talks')."""
    m = c.mention
    if not lead.call or lead.video or m.type is not EventType.MEET or m.status is not EventStatus.OCCURRED:
        return c
    if c.in_person or (m.location is not None and m.location.strength >= 2):
        return c
    if len(lead.leaders) >= 2 and set(m.participants) <= lead.leaders:
        return replace(c, mention=replace(m, type=EventType.CALL, medium=Medium.PHONE, location=None))
    return c


def _previews(found: list[Candidate], lead: LeadFacts, *, undated: bool = False) -> list[Candidate]:
    """Present-tense mentions become planned when nothing in the article reports the meeting as done.
    An undated article has no day to date a preview by: there the headline's present ("X meets Y")
    over a body that plans the same meeting ("X will meet Y") is the preview."""
    planned = {frozenset(c.mention.participants) for c in found
               if c.mention.type in _CONTACT and c.mention.status is EventStatus.PLANNED}
    done = {frozenset(c.mention.participants) for c in found
            if c.mention.type in _CONTACT and c.mention.status is EventStatus.OCCURRED and not c.present
            and not (lead.future_title and _in_title(c.mention, lead))}  # a future headline did nothing
    out = []
    for c in found:
        m, people = c.mention, frozenset(c.mention.participants)
        # "are meeting in California for two days" beside "they will talk again Saturday" is news of
        # a meeting under way: without a future headline, only a dated present ("is hosting X
        # Friday") is read as a preview.
        dated_preview = people in planned and (c.future_date is not None or (undated and _in_title(m, lead)))
        if (m.status is EventStatus.OCCURRED and c.present and people not in done
                and (dated_preview or lead.future_title)):
            c = replace(c, mention=replace(m, status=EventStatus.PLANNED, date=c.future_date,
                                           date_explicit=c.future_date is not None))
        out.append(c)
    return out


def _agreed_visits(found: list[Candidate], kb: KnowledgeBase, leaders: dict[str, LeaderRef],
                   day: dt.date) -> list[EventMention]:
    """Only between people the article shows in contact: the visit is what they agreed on."""
    contacts = [set(c.mention.participants) for c in found if c.mention.type in _CONTACT]
    out: list[EventMention] = []
    for c in found:
        m = c.mention
        if m.type is not EventType.VISIT or m.status is not EventStatus.PLANNED or c.destination is None \
                or len(m.participants) != 1:
            continue
        hosts = [h.id for h in kb.paramount(c.destination.country or "", day) if h.id in leaders]
        visitor = leaders.get(m.participants[0])
        home = visitor is not None and visitor.country == c.destination.country
        if len(hosts) != 1 or hosts[0] == m.participants[0] or home:
            continue  # a leader does not "visit" his own country
        if not any({hosts[0], m.participants[0]} <= people for people in contacts):
            continue
        where = Where(c.destination.name, c.destination.country, 3 if c.destination.kind != "country" else 2)
        out.append(replace(m, type=EventType.MEET, medium=Medium.IN_PERSON, location=where,
                           participants=(hosts[0], *m.participants)))
    return out


def _hosted_visits(found: list[Candidate], leaders: dict[str, LeaderRef]) -> list[EventMention]:
    """'During a visit to Moscow, Xi told Putin ...': a visit whose sentence names a leader of the
    country visited beside the visitor is a meeting of the two there, as well as a visit."""
    met = {(frozenset(c.mention.participants), c.mention.status) for c in found
           if c.mention.type is EventType.MEET}
    out: list[EventMention] = []
    for c in found:
        m = c.mention
        # Only a visit under way or done: a planned visit's status is read off words about the visit,
        # which say less about a meeting than the meeting words of the same article do.
        if m.type is not EventType.VISIT or c.destination is None or len(m.participants) < 2 \
                or m.status is not EventStatus.OCCURRED or (frozenset(m.participants), m.status) in met:
            continue
        country = c.destination.country
        hosts = [p for p in m.participants if (ref := leaders.get(p)) is not None and ref.country == country]
        if hosts and len(hosts) < len(m.participants):
            out.append(replace(m, type=EventType.MEET, medium=Medium.IN_PERSON))
    return out


def _inherit_from_larger_plan(mentions: list[EventMention]) -> list[EventMention]:
    """Bilateral meetings planned without date or place, beside a planned meeting of more people
    that includes them ("also expected to have bilateral meetings with each"), happen there."""
    plans = [m for m in mentions if m.type is EventType.MEET and m.status is EventStatus.PLANNED]
    out = []
    for m in mentions:
        if m in plans and (m.date is None or m.location is None):
            larger = [p for p in plans if set(m.participants) < set(p.participants)]
            located = [p.location for p in larger if p.location is not None]
            dated = sorted((p for p in larger if p.date is not None), key=lambda p: not p.date_explicit)
            m = replace(m, location=m.location or max(located, key=lambda w: w.strength, default=None),
                        date=m.date or (dated[0].date if dated else None),
                        date_explicit=m.date_explicit or bool(dated and dated[0].date_explicit))
        out.append(m)
    return out


def is_present_tense(chain: list[Token]) -> bool:
    """The clause is in the present ("is hosting", "meets"), not past and not future-marked."""
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")]
    if not verbs or any(t.tag_ in ("VBD", "VBN") for t in verbs):
        return False
    aux = [c for t in verbs for c in t.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ in ("VBD", "MD") for a in aux):
        return False
    present_aux = any(a.tag_ in ("VBZ", "VBP") for a in aux)
    # "The leaders ... meet in California": a bare form with its own subject and no auxiliary is a
    # finite present the tagger took for an infinitive.
    bare_finite = verbs[0].tag_ == "VB" and not aux and any(c.dep_ == "nsubj" for c in verbs[0].children)
    return verbs[0].tag_ in ("VBZ", "VBP") or (verbs[0].tag_ == "VBG" and present_aux) or bare_finite
