"""`newswire_meeting_events_v1`: one pass over the sentences, writing EventMentions to doc._.events.

A sentence yields an event when it has a trigger (lexicon), at least two leaders for contacts
(MEET, CALL, AGREE) or one for VISIT/ACCUSE/CRITICIZE/SANCTION, and is not a historical mention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newswire.contracts import EventStatus, EventType, Medium

from ..components.extensions import LeaderRef, ensure_extensions, published
from ..components.places import Place, place_index
from ..components.speakers import is_label
from ..knowledge import KnowledgeBase, load_knowledge
from .coreference import (
    GroupRules,
    addressed,
    first_person,
    pronoun_subject,
    with_object_pronoun,
    with_speaker,
    with_visitor,
)
from .dates import clause_head, sentence_date
from .discourse import Anchor, Candidate, future_title, is_present_tense, lead_facts, refine
from .model import EventMention, Where
from .places import place_of, sentence_location
from .status import HISTORICAL, classify, governing_chain, has_phrase, read_status
from .status_model import BUILTIN, StatusModel, candidate_features, label_status
from .triggers import DocTriggers, Trigger, TriggerFinder

__all__ = ["MeetingEvents"]

_CONTACT = (EventType.MEET, EventType.CALL, EventType.AGREE)
_TOPIC_PREPS = frozenset({"about", "on", "regarding", "concerning", "over", "against"})
_TARGET_PREPS = frozenset({"on", "against"})


@dataclass
class _DocState:
    """What the sentences of one document have found so far."""

    found: list[Candidate] = field(default_factory=list)
    video_sents: list[Span] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    future_title: bool = False  # "Macron to host Scholz": a feature of every candidate


class MeetingEvents:
    def __init__(self, nlp: Language, kb: KnowledgeBase, status_model: StatusModel | None = None) -> None:
        self.kb = kb
        # The trained decision over the rules' candidates (None: the rules' own reading decides).
        self.status_model = status_model
        # Set to True (training.py) to keep every contact candidate's features in doc._.status_samples.
        self.record_samples = False
        self.lex = kb.lexicon
        self.triggers = TriggerFinder(nlp, kb.lexicon)
        self.places = place_index(kb)
        self.people = GroupRules(kb.lexicon)
        self.headline_words = {w.split()[0] for w in (*self.lex.meet_nouns, *self.lex.call_words)}
        # Priority when a sentence has several triggers (lexicon type_precedence): the contact itself
        # beats its by-products, the specific charge the generic one. One predicate, one event.
        self.priority = {t: i for i, t in enumerate(self.lex.type_precedence)}
        self.reporting = frozenset(self.lex.reporting_verbs)
        self.topic_nouns = frozenset(self.lex.topic_nouns)
        self.future_title_words = frozenset(self.lex.future_title_words)
        self.cancel_verbs = frozenset(self.lex.cancel_verbs)

    def __call__(self, doc: Doc) -> Doc:
        day = published(doc)
        leaders: dict[str, LeaderRef] = dict(doc._.leaders or {})
        prepared = self.triggers.prepare(doc)
        state = _DocState(future_title=future_title(doc, doc._.title_end or 0, self.future_title_words))
        if self.record_samples:
            doc._.status_samples = []
        for i, sent in enumerate(doc.sents):
            state.found.extend(self._sentence(doc, sent, i, leaders, prepared, day, state))
        lead = lead_facts(doc, state.video_sents, self.future_title_words, self.lex.call_words)
        doc._.events = refine(doc, state.found, state.anchors, lead, self.kb, leaders, day)
        doc._.leaders = leaders
        return doc

    def _sentence(self, doc: Doc, sent: Span, index: int, leaders: dict[str, LeaderRef],
                  prepared: DocTriggers, day: dt.date, state: _DocState) -> list[Candidate]:
        people = [e for e in sent.ents if e.label_ == "PERSON" and e.kb_id_ in leaders]
        leader_tokens = {t for e in people for t in range(e.start, e.end)}
        triggers, video = self.triggers.find(sent, leader_tokens, prepared)
        if not triggers:
            return []
        if video and any(t.type in (EventType.MEET, EventType.CALL) for t in triggers):
            state.video_sents.append(sent)
        # Of two meeting words, the one whose own phrase names a leader ("a town-hall meeting that
        # followed talks with President Zuma": the talks).
        triggers.sort(key=lambda t: (t.strength == 0, self.priority[t.type], -t.strength,
                                     not _names_a_leader(t.token, leader_tokens), t.token.i))
        # "spoke to X ahead of the G7 Summit": a gathering that only times the event is not it
        triggers = [t for t in triggers if not _times_the_event(t.token)] or triggers
        main = triggers[0]
        if self._anaphoric(main.token):
            return []
        if addressed(main.token):  # "Putin: Mr Lavrov, you will meet X": the label's speaker is not "you"
            people = [e for e in people if not is_label(e)]
        ids = self._participants(people, main.token, main.type)
        for start, end, members in doc._.role_groups or []:  # "the presidents of Russia and Belarus"
            if sent.start <= start < sent.end and not _in_side_clause(doc[start:end], main.token):
                ids += [m for m in members if m not in ids]
        principal = self._headline_principal(doc, sent, main, day)
        if principal and principal not in ids:
            ids.insert(0, principal)
            self._remember(principal, day, leaders)
        etype, medium = main.type, main.medium
        if video and etype in (EventType.MEET, EventType.CALL):
            etype, medium = EventType.CALL, Medium.VIDEO
        need = 2 if etype in _CONTACT else 1
        if len(ids) < need and etype in _CONTACT:
            ids = self.people.with_group_antecedent(ids, main.token, index, state.found)
        if len(ids) < 2 and etype in _CONTACT:
            ids = with_object_pronoun(ids, main.token, leaders)
        if len(ids) == 1 and etype in _CONTACT:
            ids = with_speaker(ids, sent, main.token, leaders)
        if len(ids) == 1 and etype in _CONTACT and first_person(main.token) and not doc._.speakers:
            voice = self._publisher_voice(doc, day, leaders)  # "I will meet X" on a prime minister's site
            ids = [voice, *ids] if voice is not None and voice not in ids else ids
        speaker_host: str | None = None
        if len(ids) >= 2 and etype is EventType.MEET and first_person(main.token) \
                and _with_each(sent, people) >= 2:
            # "I look forward to the discussions with A, with B, with C": the speaker meets each
            speaker_host = next(iter(with_speaker([], sent, main.token, leaders)), None)
            if speaker_host is not None and speaker_host not in ids:
                ids = [speaker_host, *ids]
        pronoun_host = None
        if ids and etype in _CONTACT:  # "He will meet X on Saturday", "He met X and Y"
            pronoun_host = pronoun_subject(main.token, ids, leaders)
            ids = [pronoun_host, *ids] if pronoun_host else ids
        if len(ids) == 1 and etype is EventType.MEET:
            ids = with_visitor(ids, main.token, index, state.found, leaders)
        out: list[Candidate] = []
        if len(ids) < need and main.type is EventType.MEET and main.token.pos_ in ("NOUN", "PROPN"):
            self._anchor(sent, index, main.token, ids, day, state)
        if len(ids) >= need:
            pairs = self.people.distributed(ids, main.token, people, leaders, principal or pronoun_host) \
                if etype in _CONTACT else None
            if speaker_host is not None:
                pairs = [[speaker_host, other] for other in ids if other != speaker_host]
            if pairs is None and etype is EventType.MEET:
                pairs = _conjoined_meetings(ids, main.token, triggers, people)
            # "plans to visit Kyiv to hold talks with X": the talks are where the visit goes.
            visited = next((d for t in triggers if t.type is EventType.VISIT
                            and (d := self._destination(t.token)) is not None), None)
            for group in [ids] if pairs is None else pairs:
                made = self._mention(doc, sent, index, main.token, etype, medium, group, day, state, visited,
                                     spoken=main.strength == 0)
                if made is not None:
                    out.append(made)
        # A signed agreement reported with the meeting is its own event.
        agree = next((t for t in triggers if t.type is EventType.AGREE), None)
        if agree is not None and etype is not EventType.AGREE and len(ids) >= 2:
            made = self._mention(doc, sent, index, agree.token, EventType.AGREE, None, ids, day, state)
            if made is not None:
                out.append(made)
        return out

    def _mention(self, doc: Doc, sent: Span, index: int, trigger: Token, etype: EventType,
                 medium: Medium | None, ids: list[str], day: dt.date, state: _DocState,
                 visited: Place | None = None, *, spoken: bool = False) -> Candidate | None:
        status, reading = read_status(sent, trigger, self.lex, day)
        decides = etype in (EventType.MEET, EventType.CALL) and (self.status_model is not None
                                                                 or self.record_samples)
        if status is HISTORICAL and not decides:
            return None
        if etype in (EventType.MEET, EventType.CALL) and self._group_gathering(sent, trigger, status, ids):
            return None
        if etype is EventType.CALL and any(c.dep_ == "oprd" for c in trigger.children) \
                and any(c.dep_ == "dobj" for c in trigger.children):
            return None  # "calling Netanyahu a terrorist" names him; it is no phone call
        if trigger.lemma_.lower() == "welcome" and any(
            c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lower_ not in self.lex.guest_nouns
            for c in trigger.children
        ):
            return None  # "welcomed Hu's decision to attend": a welcome of a thing, not of a guest
        if (
            trigger.dep_ == "pobj"
            and trigger.head.lower_ in ("on", "about")
            and trigger.head.head.lemma_.lower() in self.lex.briefing_verbs
            and not _names_between(trigger)  # 'briefed ... on the talks between X and Y': they met
        ):
            return None  # "briefed the Prime Minister on his summit with Kim"
        if self._a_topic(trigger, ids) or self._between_others(trigger, ids):
            return None  # "the leaders discussed the talks under way in Geneva"
        # A called-off meeting's bare weekday is when it was to be (forward), unless the weekday is in
        # the clause of the calling off itself ("postponed the talks on Tuesday").
        undated = bool(doc._.undated)  # no day to count from: only dates that carry their year

        def dated(status: EventStatus | None) -> dt.date | None:
            return sentence_date(sent, trigger.i, day,
                                 future=status in (EventStatus.PLANNED, EventStatus.CANCELLED),
                                 reporting=self.reporting, past_heads=self.cancel_verbs, absolute=undated)

        date = dated(status)
        if decides:
            features = candidate_features(
                sent, trigger, etype, self.lex, reading=reading, rule=status, date=date, day=day,
                people=len(set(ids)), index=index, in_title=sent.start_char < (doc._.title_end or 0),
                future_title=state.future_title)
            if self.record_samples:
                doc._.status_samples.append({"features": features, "participants": list(dict.fromkeys(ids)),
                                             "type": etype.value, "medium": medium.value if medium else None,
                                             "sent_start": sent.start_char})
            if self.status_model is not None:
                label, p = self.status_model.decide(features)
                decided = label_status(label)
                # The model overrides the rules' reading only when it is sure (threshold from the
                # leave-one-set-out scores: below it, the rules were right more often), and never
                # revives as held a meeting the rules read as background, negated or only wished
                # for ("said he hoped to meet X"): a false alert costs most.
                revives = status is HISTORICAL and decided is EventStatus.OCCURRED
                if decided is not status and p >= self.status_model.override_at and not revives:
                    status = decided
                    date = dated(status)
        if status is HISTORICAL:
            return None
        future = status is EventStatus.PLANNED
        explicit = date is not None
        if (status is EventStatus.OCCURRED and explicit and sent.start_char >= (doc._.title_end or 0)
                and trigger.tag_ in ("VBZ", "VBP") and date is not None and date < day and not undated):
            # "Obama meets again Tuesday with Hu" in a body: the present of a schedule, read forward
            date = sentence_date(sent, trigger.i, day, future=True, reporting=self.reporting) or date
        if status is EventStatus.OCCURRED and date is not None and date > day and not undated:
            status, future = EventStatus.PLANNED, True  # "on June 25" in an article of June 24
        if date is None and status is EventStatus.OCCURRED and not undated:
            date = day  # a report of the day's event takes the publication date
        where = self._where(doc, sent, trigger, etype, status, visited)
        confidence = 0.55 + 0.15 * (trigger.pos_ == "VERB") + 0.1 * (where is not None) + 0.1 * explicit
        mention = EventMention(
            type=etype, status=status, medium=medium if etype in (EventType.MEET, EventType.CALL) else None,
            participants=tuple(dict.fromkeys(ids)), location=where, date=date, date_explicit=explicit,
            sent_start=sent.start_char, sent_end=sent.end_char, confidence=round(min(confidence, 0.95), 2),
        )
        text = sent.text.lower()
        present = not future and is_present_tense(governing_chain(trigger)) and not has_phrase(
            text, self.lex.present_time_cues)
        return Candidate(
            mention=mention, sent_index=index, present=present,
            future_date=sentence_date(sent, trigger.i, day, future=True, reporting=self.reporting,
                                      absolute=undated) if present else None,
            gathering=self._gathering(trigger), lemma=trigger.lemma_.lower(),
            in_person=has_phrase(text, self.lex.in_person_cues),
            destination=self._destination(trigger) if etype is EventType.VISIT else None,
            spoken=spoken,
        )

    # ---------------------------------------------------------------- where and what

    def _anchor(self, sent: Span, index: int, trigger: Token, ids: list[str], day: dt.date,
                state: _DocState) -> None:
        """'An informal summit will be held on December 28 in St Petersburg': too few people for an
        event, but the when and where of a gathering that later sentences call 'the summit'."""
        status = classify(sent, trigger, self.lex, day)
        if status is HISTORICAL:
            return
        date = sentence_date(sent, trigger.i, day, future=status is EventStatus.PLANNED,
                             reporting=self.reporting, absolute=bool(sent.doc._.undated))
        state.anchors.append(Anchor(trigger.lemma_.lower(), index, tuple(ids), status, date,
                                    sentence_location(sent, self.places, self.topic_nouns)))

    def _group_gathering(self, sent: Span, trigger: Token, status: EventStatus | None,
                         ids: list[str]) -> bool:
        """'the G7 summit he will host', 'ahead of an informal summit of EU leaders', four or more
        leaders in a sentence about the G8, and, for plans, 'will meet again at the G8 summit': a
        gathering of a group, which is no meeting of those named (a meeting held there is: 'met on
        the sidelines of the G20 summit')."""
        lex = self.lex
        text = sent.text.lower()
        if has_phrase(text, lex.bilateral_cues):
            return False
        if len(ids) >= _GROUP and has_phrase(text, lex.multilateral_markers):
            return True

        def of_a_group(noun: Token) -> bool:
            if noun.lower_ not in lex.gathering_nouns and noun.lemma_.lower() not in lex.gathering_nouns:
                return False
            named = noun.doc[noun.left_edge.i : noun.right_edge.i + 1].text.lower()
            return has_phrase(named, lex.multilateral_markers)

        def named_for_a_group(noun: Token) -> bool:
            # "the SCO Heads of State Council meeting": a meeting named for a group, by what precedes it
            left = noun.doc[noun.left_edge.i : noun.i + 1].text.lower()
            return of_a_group(noun) or has_phrase(left, lex.multilateral_markers)

        if of_a_group(trigger):
            return True
        if trigger.pos_ in ("NOUN", "PROPN") and named_for_a_group(trigger):
            return True
        # "The SCO Heads of State Council meeting is being hosted by X", "X hosted the BRICS summit":
        # the verb's subject or object is a group's gathering.
        if trigger.pos_ == "VERB":
            for arg in trigger.children:
                if arg.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                    continue
                words = arg.doc[arg.left_edge.i : arg.right_edge.i + 1]
                if any(t.ent_type_ == "PERSON" for t in words):
                    continue  # "met President of the European Council X": a person, titled by a body
                gathering = any(t.lemma_.lower() in _GATHERING_WORDS or t.lower_ in lex.gathering_nouns
                                for t in words)
                if gathering and has_phrase(words.text.lower(), lex.multilateral_markers):
                    return True
        if status is not EventStatus.PLANNED:
            return False  # "met at the NATO summit" reports a meeting held there
        if has_phrase(text, lex.in_person_cues):
            return False  # "looked forward to meeting in person at the G20 Summit": their own meeting
        return any(
            of_a_group(obj)
            for prep in trigger.children
            if prep.dep_ == "prep" and prep.lower_ in ("at", "during", "for")
            for obj in prep.children
            if obj.dep_ == "pobj"
        )

    def _between_others(self, trigger: Token, ids: list[str]) -> bool:
        """'thanked X for its role in the talks between Russia and Ukraine': a meeting word whose own
        'between' phrase names parties, none of them the candidate's people or their countries, is
        those parties' meeting."""
        prep = _between_phrase(trigger)
        if prep is None:
            return False
        doc = trigger.doc
        named = [e for e in doc.ents if prep.i < e.start and e.end <= prep.right_edge.i + 1
                 and e.label_ in ("GPE", "ORG", "PERSON")]
        if not named:
            return False
        leaders = doc._.leaders or {}
        countries = {leaders[i].country for i in ids if i in leaders and leaders[i].country}
        for e in named:
            place = self.places.get(e.text)
            if e.kb_id_ in ids or (place is not None and place.country in countries):
                return False
        return True

    def _a_topic(self, trigger: Token, ids: list[str]) -> bool:
        """A meeting noun inside the object of a verb of discussing or thanking ('discussed aspects of the
        discussions in Geneva', 'thanked X for its role in the talks between A and B') is what was
        talked about. Not when it is their own: 'discussed their meeting', 'talks with' a participant."""
        if trigger.pos_ not in ("NOUN", "PROPN"):
            return False
        if any(c.dep_ == "poss" and c.lower_ in ("their", "our", "his", "her") for c in trigger.children):
            return False
        top = trigger  # the verb's argument that holds the trigger
        while top.head.i != top.i and top.head.pos_ not in ("VERB", "AUX"):
            top = top.head
        verb = top.head
        if verb.i == top.i or verb.lemma_.lower() not in self.lex.topic_verbs:
            return False
        # What they discussed or were thanked for; not the setting ("discussed trade during talks in Rome").
        if not (top.dep_ == "dobj" or (top.dep_ == "prep" and top.lower_ in ("for", "about", "on"))):
            return False
        named = {t.ent_id_ or t.ent_kb_id_ for t in trigger.subtree if t.i != trigger.i}
        return not named.intersection(ids)

    @staticmethod
    def _gathering(trigger: Token) -> bool:
        """'the meeting', 'today's talks', 'the 14th BRICS Summit': the article's own gathering."""
        if trigger.pos_ not in ("NOUN", "PROPN"):
            return False
        doc, i = trigger.doc, trigger.i - 1
        while i > 0 and doc[i].pos_ in ("PROPN", "ADJ", "NUM") and trigger.i - i < 5:
            i -= 1  # over the name and ordinal of the gathering
        if doc[i].lower_ in ("'s", "’s") and i > 0:
            i -= 1
        return doc[i].lower_ in ("the", "this", "today", "yesterday")

    def _where(self, doc: Doc, sent: Span, trigger: Token, etype: EventType, status: EventStatus,
               visited: Place | None) -> Where | None:
        """The sentence's own place beats the dateline (the publisher's desk); a visit is where it
        goes; the dateline is only where something happened, not where it was planned or called off."""
        if etype is EventType.CALL:
            return None
        destination = self._destination(trigger) if etype is EventType.VISIT else visited
        here = self._where_clause(trigger) or sentence_location(sent, self.places, self.topic_nouns, trigger)
        gone = Where(destination.name, destination.country, 3 if destination.kind != "country" else 2) \
            if destination is not None else None
        if etype is EventType.VISIT:
            here = gone or here
        elif here is None or (gone is not None and gone.strength > here.strength):
            here = gone or here
        line = doc._.dateline
        if here is None and status is EventStatus.OCCURRED and line is not None:
            here = line
        elif (here is not None and here.strength == 2 and status is EventStatus.OCCURRED and line is not None
              and line.country == here.country and line.name != here.name):
            here = Where(line.name, line.country, 2)  # "welcome you to Russia" under "May 16, Sochi"
        return here or self._unknown_venue(trigger)

    def _unknown_venue(self, trigger: Token) -> Where | None:
        """'held talks ... at Vostochny Cosmodrome': a named building or site the place index lacks,
        'at' the meeting, is where it was when nothing else says (no city: the venue is the place)."""
        clause = clause_head(trigger).i
        for prep in (t for t in trigger.sent if t.dep_ == "prep" and t.lower_ == "at"
                     and clause_head(t).i == clause):
            obj = next((g for g in prep.children if g.dep_ == "pobj"), None)
            if obj is None or obj.lemma_.lower() not in self.lex.venue_heads or not obj.is_title:
                continue
            # The name as written ("Vostochny Cosmodrome", "the Bocharov Ruchei Residence"), whatever
            # label the tagger gave it: title-case words before the head, no article.
            words = [t for t in obj.lefts if t.dep_ in ("compound", "amod") and t.is_title] + [obj]
            if len(words) >= 2 and words[0].i + len(words) - 1 == obj.i:
                return Where(obj.doc[words[0].i : obj.i + 1].text, None, 1)
        return None

    def _where_clause(self, trigger: Token) -> Where | None:
        """'... from Mainz, Germany, where he had held talks with Schroeder': the place a 'where'
        clause hangs off is where its event happened."""
        clause = clause_head(trigger)
        if clause.dep_ != "relcl" or not any(c.lower_ == "where" for c in clause.children):
            return None
        ent = next((e for e in trigger.doc.ents if e.start <= clause.head.i < e.end), None)
        place = place_of(ent, self.places) if ent is not None else None
        if place is None:
            return None
        return Where(place.name, place.country, 3 if place.kind in ("venue", "city") else 2)

    def _destination(self, trigger: Token) -> Place | None:
        """The place a visit goes to: 'visit Russia', 'a visit to China', 'a Washington visit'."""
        for child in trigger.children:
            if child.dep_ in ("dobj", "compound", "nmod", "poss"):
                targets = [child]
            elif child.dep_ == "prep" and child.lower_ == "to":
                targets = [g for g in child.children if g.dep_ == "pobj"]
            else:
                continue
            for tok in targets:
                span = tok.doc[tok.left_edge.i:tok.right_edge.i + 1]
                place = self.places.get(span.text) or self.places.get(tok.text)
                if place is not None:
                    return place
        return None

    @staticmethod
    def _anaphoric(trigger: Token) -> bool:
        """'These talks are expected to include X and Y': a meeting already reported, described
        further; the people named are attendees, not a new pair."""
        return trigger.dep_ in ("nsubj", "nsubjpass") and any(
            c.dep_ == "det" and c.lower_ in ("these", "this", "those", "such") for c in trigger.children)

    @staticmethod
    def _participants(people: list[Span], trigger: Token, etype: EventType) -> list[str]:
        """Leaders in the sentence, minus those only talked about ('spoke about Zelensky'). Sanctions
        fall 'on' or 'against' their target ('imposed sanctions on Thursday on X'): a participant."""
        preps = _TOPIC_PREPS - _TARGET_PREPS if etype is EventType.SANCTION else _TOPIC_PREPS
        ids: list[str] = []
        inner = _temporal_clause(trigger)
        own = [] if inner is None else [e for e in people if inner[0] <= e.start < inner[1]]
        if inner is not None and not own:
            inner = _main_subject(trigger, inner)  # "..., as the two leaders met": the main clause's subject
        elif inner is not None and len(own) < 2 and _soft_temporal(trigger):
            # "as the two leaders met ... during Modi's visit": one name inside is no pair of its own
            subject = _main_subject(trigger, inner)
            inner = (min(inner[0], subject[0]), max(inner[1], subject[1]))
        between = _between(trigger, people)
        for ent in people:
            if between is not None and ent not in between:
                continue  # "a briefing by X on the conversation between Y and Z": Y and Z only
            if _in_side_clause(ent, trigger):
                continue
            if inner is not None and not inner[0] <= ent.start < inner[1]:
                continue  # "X's visit came a day after [Y held talks with Z]": X is not at the talks
            tok, topical = ent.root, False
            for _ in range(8):
                if between is not None and tok.i in (trigger.i, trigger.head.i):
                    break  # "briefed on [the conversation between X and Y]": X, Y are its parties
                # Under a topic preposition anywhere up the chain, the trigger's own included:
                # "spoke by phone with X about Y" makes Y a topic.
                if tok.dep_ == "pobj" and tok.head.lower_ in preps:
                    topical = True
                    break
                # "welcomed X ahead of the King's coronation", "met Y after Z's funeral": the
                # owner of the occasion that times the meeting is no party to it
                if _possessor(tok):
                    # "ahead of His Majesty The King's Coronation": the name hangs on by apposition
                    owned = tok.head.head if tok.head.dep_ == "appos" else tok.head
                    if owned.dep_ == "pobj" and _timing_prep(owned.head):
                        topical = True
                        break
                if tok.head.i == tok.i:  # the root
                    break
                tok = tok.head
            if not topical and ent.kb_id_ not in ids:
                ids.append(ent.kb_id_)
        return ids

    def _publisher_voice(self, doc: Doc, day: dt.date, leaders: dict[str, LeaderRef]) -> str | None:
        role, home = doc._.voice_role, doc._.home_country
        if role is None or home is None or doc._.undated:
            return None
        found = self.kb.holders([role], home, day)
        if len(found) != 1:
            return None
        self._remember(found[0].id, day, leaders)
        return found[0].id

    def _remember(self, leader_id: str, day: dt.date, leaders: dict[str, LeaderRef]) -> None:
        """A leader the text names only by the publisher or the headline joins the document's leaders."""
        if leader_id not in leaders:
            role, country = self.kb.office_on(leader_id, day)
            leaders[leader_id] = LeaderRef(leader_id, self.kb.by_id[leader_id].name, role, country)

    def _headline_principal(self, doc: Doc, sent: Span, trigger: Trigger, day: dt.date) -> str | None:
        """'Talks with President of Serbia Aleksandar Vucic' as a Kremlin headline: the publisher's
        leader is the other party."""
        home = doc._.home_country
        if not home or sent.end_char > max(doc._.title_end, 0) or trigger.token.i - sent.start > 2:
            return None
        if sent[0].lower_ not in self.headline_words:
            return None
        found = self.kb.paramount(home, day)
        return found[0].id if len(found) == 1 else None


@Language.factory(
    "newswire_meeting_events_v1",
    default_config={"leaders_file": None, "status_model": "builtin"},
    requires=["doc.ents", "doc._.leaders", "token.dep", "token.lemma"],
    assigns=["doc._.events"],
)
def make_meeting_events(nlp: Language, name: str, leaders_file: str | None,
                        status_model: str) -> MeetingEvents:
    """`status_model`: "builtin" (the trained model shipped in the package), "rules" (the rules'
    own reading decides), or the path of a model file written by `newswire train`."""
    ensure_extensions()
    model = None if status_model == "rules" else StatusModel.load(BUILTIN if status_model == "builtin"
                                                                  else Path(status_model))
    return MeetingEvents(nlp, load_knowledge(leaders_file), model)


_SIDE = frozenset({"advcl", "relcl", "acl", "pcomp", "ccomp"})
_TEMPORAL = frozenset({"after", "before", "since", "until", "till", "once", "when", "while", "as"})
_GATHERING_WORDS = frozenset({"meeting", "session", "council"})  # with a group's name: its gathering


_TIMING_PREPS = frozenset({"before", "after", "following", "since", "until", "ahead of", "prior to"})


def _possessor(tok: Token) -> bool:
    """'the King's coronation': a possessive, whether the parser says poss or hangs the name on by
    apposition with its 's."""
    return tok.dep_ == "poss" or any(c.dep_ == "case" and c.lower_ in ("'s", "’s") for c in tok.children)


def _timing_prep(prep: Token) -> bool:
    """'before', 'after', 'ahead of', 'prior to': a preposition that times an event by another."""
    return prep.lower_ in _TIMING_PREPS or f"{prep.head.lower_} {prep.lower_}" in _TIMING_PREPS


def _with_each(sent: Span, people: list[Span]) -> int:
    """How many leaders of the sentence stand under a 'with' of their own ('with A, with B')."""
    owners = set()
    for ent in people:
        tok = ent.root
        while tok.dep_ in ("compound", "appos", "conj") and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ == "pobj" and tok.head.lower_ == "with":
            owners.add(tok.head.i)
    return len(owners)


def _times_the_event(trigger: Token) -> bool:
    return trigger.dep_ == "pobj" and trigger.pos_ in ("NOUN", "PROPN") and _timing_prep(trigger.head)


def _names_a_leader(trigger: Token, leader_tokens: set[int]) -> bool:
    """Does a 'with'/'between' phrase or the object of the trigger name a leader?"""
    for c in trigger.children:
        if (c.dep_ == "prep" and c.lower_ in ("with", "between")) or c.dep_ == "dobj":
            if any(t.i in leader_tokens for t in c.subtree):
                return True
    return False


def _between_phrase(trigger: Token) -> Token | None:
    """The 'between' of 'talks between X and Y' (of the noun, for "telephone conversation between")."""
    noun = trigger.head if trigger.dep_ in ("compound", "amod") else trigger
    return next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"), None)


def _names_between(trigger: Token) -> bool:
    return _between_phrase(trigger) is not None


def _between(trigger: Token, people: list[Span]) -> list[Span] | None:
    """The people a meeting word names with 'between' ('talks between X and Y'), when it names two."""
    prep = _between_phrase(trigger)
    if prep is None:
        return None
    inside = [e for e in people if prep.left_edge.i <= e.start and e.end <= prep.right_edge.i + 1]
    return inside if len(inside) >= 2 else None


def _soft_temporal(trigger: Token) -> bool:
    """'as/when/while' clauses: time shared with the main clause, unlike 'after/before'."""
    marks = (c.lower_ for c in clause_head(trigger).children if c.dep_ == "mark")
    return any(m in ("as", "when", "while") for m in marks)


def _main_subject(trigger: Token, inner: tuple[int, int]) -> tuple[int, int]:
    """A temporal clause that names no one ('as we begin our meeting', 'as the two leaders met') is
    about the subject of the clause it modifies: its token range, else the clause's own (empty)."""
    main = clause_head(clause_head(trigger).head)
    for _ in range(4):  # up through 'pledged to deepen ...': the first clause with a subject
        subjects = [c for c in main.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:  # all of them: a dateline can come out as a second subject
            return min(c.left_edge.i for c in subjects), max(c.right_edge.i for c in subjects) + 1
        if main.head.i == main.i:
            break
        main = clause_head(main.head)
    return inner


def _temporal_clause(trigger: Token) -> tuple[int, int] | None:
    """Token range of the trigger's clause when it is a temporal clause of another with a subject of
    its own ("..., two days after Putin held talks with Lukashenko"): its event is its own, with its
    own people. A clause without one takes the main subject ("After meeting Xi, Kerry said ...")."""
    clause = clause_head(trigger)
    subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)
    if clause.dep_ not in ("advcl", "pcomp") or not subject:
        return None
    marked = any(c.dep_ == "mark" and c.lower_ in _TEMPORAL for c in clause.children)
    if not marked and not (clause.dep_ == "pcomp" and clause.head.lower_ in _TEMPORAL):
        return None
    return clause.left_edge.i, clause.right_edge.i + 1


_GROUP = 4  # this many leaders at a group's gathering is the gathering, not a meeting among them


def _in_side_clause(ent: Span, trigger: Token) -> bool:
    """Is the person named in a clause subordinate to the trigger's ("greeted Scholz, two days after
    he was sworn in as successor to Merkel", "met Modi at a summit hosted by Widodo")? Such a
    person is context, not a party to the meeting. Clauses above the trigger's ("Xi said he had met
    Putin") are not side clauses."""
    top = clause_head(trigger).i
    root = ent.root
    if root.pos_ in ("VERB", "AUX") and ent.start > 0 and ent.doc[ent.start - 1].pos_ == "PROPN":
        root = ent.doc[ent.start - 1]  # "Prime Minister Modi" with the name parsed as a verb: the title's
    tok = clause_head(root)
    side = False
    for _ in range(8):
        if tok.i == top:
            return side
        if tok.dep_ in _SIDE:
            side = True
        if tok.head.i == tok.i:
            return False  # reached the root without passing the trigger's clause
        tok = clause_head(tok.head)
    return False


def _conjoined_meetings(
    ids: list[str], trigger: Token, triggers: list[Trigger], people: list[Span]
) -> list[list[str]] | None:
    """'Guterres first held talks with Lavrov and then met Putin': two meetings that share a
    subject, each with the people of its own verb phrase. None unless both verbs name someone."""
    clauses = {clause_head(t.token).i: clause_head(t.token) for t in triggers if t.type is EventType.MEET}
    if clause_head(trigger).i not in clauses:
        return None
    # The first verb may sit under the head the second is conjoined to: "is scheduled to hold talks
    # with X ... and will also meet Y".
    pair = next(((c.head, c) for c in clauses.values() if c.dep_ == "conj" and any(
        d.i != c.i and (d.i == c.head.i or c.head in d.ancestors) for d in clauses.values())), None)
    if pair is None:
        return None
    first, second = pair

    def within(tok: Token, ent: Span) -> bool:
        # a name in an attribution or as a possessor ("according to X, head of Y's office") is no party
        if ent.root.dep_ == "poss" or any(a.lower_ == "according" for a in ent.root.ancestors):
            return False
        return tok.left_edge.i <= ent.start and ent.end - 1 <= tok.right_edge.i

    own_second = {e.kb_id_ for e in people if within(second, e)}
    own_first = {e.kb_id_ for e in people if within(first, e) and e.kb_id_ not in own_second}
    shared = {
        e.kb_id_ for e in people if first.i == clause_head(e.root).i and e.root.dep_ in ("nsubj", "nsubjpass")
    }
    own_first -= shared
    if not own_first or not own_second or not shared:
        return None
    groups = [[i for i in ids if i in shared | own_first], [i for i in ids if i in shared | own_second]]
    return groups if all(len(g) >= 2 for g in groups) else None
