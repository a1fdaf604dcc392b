"""`newswire_meeting_events_v1`: one pass over the sentences, writing EventMentions to doc._.events.

A sentence yields an event when it has a trigger (lexicon), at least two leaders for contacts
(MEET, CALL, AGREE) or one for VISIT/ACCUSE/CRITICIZE/SANCTION, and is not a historical mention."""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newswire.contracts import EventStatus, EventType, Medium

from ..components.extensions import LeaderRef, ensure_extensions, published
from ..components.places import place_index
from ..knowledge import KnowledgeBase, load_knowledge
from .dates import sentence_date
from .model import EventMention, Where
from .places import sentence_location
from .status import HISTORICAL, classify
from .triggers import Trigger, TriggerFinder

__all__ = ["MeetingEvents"]

_CONTACT = (EventType.MEET, EventType.CALL, EventType.AGREE)
_TOPIC_PREPS = frozenset({"about", "on", "regarding", "concerning", "over", "against"})
# Priority when a sentence has several triggers: the contact itself beats its by-products.
_PRIORITY = {EventType.CALL: 0, EventType.MEET: 1, EventType.VISIT: 2, EventType.AGREE: 3,
             EventType.ACCUSE: 4, EventType.CRITICIZE: 4, EventType.SANCTION: 4}


class MeetingEvents:
    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.lex = kb.lexicon
        self.triggers = TriggerFinder(nlp, kb.lexicon)
        self.places = place_index(kb)

    def __call__(self, doc: Doc) -> Doc:
        day = published(doc)
        leaders: dict[str, LeaderRef] = dict(doc._.leaders or {})
        matches = self.triggers.phrase_matches(doc)
        mentions: list[EventMention] = []
        for sent in doc.sents:
            mentions.extend(self._sentence(doc, sent, leaders, matches, day))
        doc._.events = mentions
        doc._.leaders = leaders
        return doc

    def _sentence(self, doc: Doc, sent: Span, leaders: dict[str, LeaderRef],
                  matches: list[tuple[str, int, int]], day: dt.date) -> list[EventMention]:
        people = [e for e in sent.ents if e.label_ == "PERSON" and e.kb_id_ in leaders]
        leader_tokens = {t for e in people for t in range(e.start, e.end)}
        triggers, video = self.triggers.find(sent, leader_tokens, matches)
        if not triggers:
            return []
        triggers.sort(key=lambda t: (_PRIORITY[t.type], -t.strength, t.token.i))
        main = triggers[0]
        if self._anaphoric(main.token):
            return []
        ids = self._participants(people, main.token)
        principal = self._headline_principal(doc, sent, main, day)
        if principal and principal not in ids:
            ids.insert(0, principal)
            if principal not in leaders:
                role, country = self.kb.office_on(principal, day)
                leaders[principal] = LeaderRef(principal, self.kb.by_id[principal].name, role, country)
        out: list[EventMention] = []
        etype, medium = main.type, main.medium
        if video and etype in (EventType.MEET, EventType.CALL):
            etype, medium = EventType.CALL, Medium.VIDEO
        need = 2 if etype in _CONTACT else 1
        if len(ids) >= need:
            made = self._mention(doc, sent, main.token, etype, medium, ids, day)
            if made is not None:
                out.append(made)
        # A signed agreement reported with the meeting is its own event.
        agree = next((t for t in triggers if t.type is EventType.AGREE), None)
        if agree is not None and etype is not EventType.AGREE and len(ids) >= 2:
            made = self._mention(doc, sent, agree.token, EventType.AGREE, None, ids, day)
            if made is not None:
                out.append(made)
        return out

    def _mention(self, doc: Doc, sent: Span, trigger: Token, etype: EventType, medium: Medium | None,
                 ids: list[str], day: dt.date) -> EventMention | None:
        status = classify(sent, trigger, self.lex, day)
        if status is HISTORICAL:
            return None
        future = status is EventStatus.PLANNED
        date = sentence_date(sent, trigger.i, day, future=future)
        explicit = date is not None
        if date is None and status is EventStatus.OCCURRED:
            date = day  # a report of the day's event takes the publication date
        where = None if etype is EventType.CALL else sentence_location(sent, self.places)
        if where is None and etype is not EventType.CALL and not future and doc._.dateline is not None:
            where = doc._.dateline
        confidence = 0.55 + 0.15 * (trigger.pos_ == "VERB") + 0.1 * (where is not None) + 0.1 * explicit
        return EventMention(
            type=etype, status=status, medium=medium if etype in (EventType.MEET, EventType.CALL) else None,
            participants=tuple(dict.fromkeys(ids)), location=where, date=date, date_explicit=explicit,
            sent_start=sent.start_char, sent_end=sent.end_char, confidence=round(min(confidence, 0.95), 2),
        )

    @staticmethod
    def _anaphoric(trigger: Token) -> bool:
        """'These talks are expected to include X and Y': a meeting already reported, described
        further; the people named are attendees, not a new pair."""
        return trigger.dep_ in ("nsubj", "nsubjpass") and any(
            c.dep_ == "det" and c.lower_ in ("these", "this", "those", "such") for c in trigger.children)

    @staticmethod
    def _participants(people: list[Span], trigger: Token) -> list[str]:
        """Leaders in the sentence, minus those only talked about ('spoke about Zelensky')."""
        ids: list[str] = []
        for ent in people:
            tok, topical = ent.root, False
            for _ in range(4):
                if tok.dep_ == "pobj" and tok.head.lower_ in _TOPIC_PREPS and tok.head.head is not trigger:
                    topical = True
                    break
                if tok.head is tok or tok.head is trigger:
                    break
                tok = tok.head
            if not topical and ent.kb_id_ not in ids:
                ids.append(ent.kb_id_)
        return ids

    def _headline_principal(self, doc: Doc, sent: Span, trigger: Trigger, day: dt.date) -> str | None:
        """'Talks with President of Serbia Aleksandar Vucic' as a Kremlin headline: the publisher's
        leader is the other party."""
        home = doc._.home_country
        if not home or sent.end_char > max(doc._.title_end, 0) or trigger.token.i - sent.start > 2:
            return None
        if sent[0].lower_ not in {w.split()[0] for w in (*self.lex.meet_nouns, *self.lex.call_words)}:
            return None
        found = self.kb.paramount(home, day)
        return found[0].id if len(found) == 1 else None


def dateline_where(place_name: str, country: str | None) -> Where:
    return Where(place_name, country, 1)


@Language.factory(
    "newswire_meeting_events_v1",
    default_config={"leaders_file": None},
    requires=["doc.ents", "doc._.leaders", "token.dep", "token.lemma"],
    assigns=["doc._.events"],
)
def make_meeting_events(nlp: Language, name: str, leaders_file: str | None) -> MeetingEvents:
    ensure_extensions()
    return MeetingEvents(nlp, load_knowledge(leaders_file))
