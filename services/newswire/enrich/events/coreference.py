"""Who is who in one document, and who takes part when the sentence does not name everyone.

`newswire_person_merge_v1` (before the event component) gives every mention of one person in an
article one entity id: a titled name the KB lacks ("name:…") that fits a leader linked elsewhere in
the article becomes that leader; spellings of one unlinked person ("NOVAK Jan", "Jan Novak") share one
id, and so does a later bare surname ("Mr Novak"). Event participants then use the merged id.

The rest: "the two leaders", "they", "he", the speaker of a transcript turn ("we had a good meeting
with X"), and "bilateral meetings with X and Y" (one meeting with each). Each rule looks back only a
few sentences, and gives up rather than guess."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from newswire.contracts import EventType

from ..components.extensions import LeaderRef, ensure_extensions
from ..knowledge import KnowledgeBase, Lexicon, load_knowledge
from ..knowledge.names import NameIndex, name_index, name_parts
from .discourse import Candidate
from .status import anticipated, governing_chain

__all__ = ["GroupRules", "PersonMerger", "addressed", "first_person", "pronoun_subject", "with_speaker",
           "with_visitor"]

_CONTACT = (EventType.MEET, EventType.CALL, EventType.AGREE)
# How far back "the two leaders" / "they" may look for the people they stand for (sentences).
_GROUP_WINDOW = 4
_PRONOUN_WINDOW = 2
_PRONOUN_CHARS = 400  # "He ..." looks this far back for the leader it stands for


class GroupRules:
    def __init__(self, lex: Lexicon) -> None:
        # the head word of each group noun: "heads" of "heads of state", "sides" of "two sides"
        self.group_words = {w.split()[0] if " of " in w else w.split()[-1] for w in lex.group_nouns}
        self.pronouns = frozenset(lex.group_pronouns)
        self.distributive = frozenset(lex.distributive_modifiers)
        self.distributive_plurals = frozenset(lex.distributive_plurals)
        self.lex = lex

    def group_reference(self, trigger: Token) -> tuple[bool, int | None] | None:
        """'The two leaders agreed to hold a meeting', 'they will have dinner', 'both presidents':
        (is it a pronoun, how many people it says) when the clause's subject stands for a group."""
        for tok in governing_chain(trigger):
            for child in tok.children:
                if child.dep_ not in ("nsubj", "nsubjpass", "poss"):
                    continue
                if child.lower_ in self.pronouns:
                    return True, None
                if child.lower_ in self.group_words:
                    mods = {c.lower_ for c in child.children if c.dep_ in ("det", "nummod", "predet", "amod")}
                    if mods & {"the", "both", "two", "three"}:
                        return False, 3 if "three" in mods else 2 if mods & {"two", "both"} else None
        return None

    def with_group_antecedent(self, ids: list[str], trigger: Token, index: int,
                              found: list[Candidate]) -> list[str]:
        """The group stands for the people of the latest contact a few sentences back."""
        ref = self.group_reference(trigger)
        if ref is None:
            return ids
        pronoun, size = ref

        def fits(c: Candidate) -> bool:
            people = c.mention.participants
            return c.mention.type in _CONTACT and len(people) >= 2 and (size is None or len(people) == size)

        window = _PRONOUN_WINDOW if pronoun else _GROUP_WINDOW
        for c in reversed(found):
            if index - c.sent_index > window:
                break
            if fits(c):
                return list(dict.fromkeys([*c.mention.participants, *ids]))
        # "The leaders looked forward to seeing each other in Cornwall", closing a readout: with no
        # contact nearer, the group a readout looks ahead with is the people of its first contact.
        subject = next((c for c in found if c.mention.type in _CONTACT), None)
        if not pronoun and subject is not None and fits(subject) and anticipated(trigger, self.lex):
            return list(dict.fromkeys([*subject.mention.participants, *ids]))
        return ids

    def distributed(self, ids: list[str], trigger: Token, people: list[Span],
                    leaders: dict[str, LeaderRef], principal: str | None = None) -> list[list[str]] | None:
        """'X is to have bilateral meetings with Y and Z': one meeting of X with each. None when the
        trigger is not distributive; [] when it is but its subject cannot be told ('He ... with Y and Z'
        names no pair of Y and Z)."""
        noun = trigger if trigger.tag_ in ("NNS", "NNPS") else trigger.head
        separately = any(t.lower_ in self.distributive for t in trigger.sent if t.dep_ == "advmod")
        mods = {trigger.lower_, *(c.lower_ for c in noun.children if c.dep_ in ("amod", "compound"))}
        marked = separately or (noun.tag_ in ("NNS", "NNPS") and bool(mods & self.distributive))
        plural = noun.tag_ in ("NNS", "NNPS") and noun.lower_ in self.distributive_plurals
        if not marked and not plural:
            return None  # "spoke with X and, separately, with Y" needs no plural noun
        subjects = [e.kb_id_ for e in people if e.kb_id_ in ids and (
            e.root.dep_ in ("nsubj", "nsubjpass", "poss")  # "the President's calls with X and Y"
            or (e.root.dep_ == "appos" and e.root.head.dep_ in ("nsubj", "nsubjpass")))]  # "its head, X,"
        host = subjects[0] if subjects else pronoun_subject(trigger, ids, leaders) or principal
        if host is None:
            return [] if marked else None
        if len([i for i in ids if i != host]) < 2:
            return None  # one other person: the one meeting they had
        return [[host, other] for other in ids if other != host]


_FIRST = frozenset({"i", "we"})
_SECOND = frozenset({"you", "your"})
_VOCATIVE_TITLES = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "madam", "dear", "sir", "excellency"})


def _nearest_subject(trigger: Token) -> Token | None:
    """The subject of the trigger's own clause, the nearest one up its chain ('I know that you will
    hold talks with X': 'you'); a noun trigger's possessor counts ('your meeting with X')."""
    for tok in governing_chain(trigger):
        for c in tok.children:
            if c.dep_ in ("nsubj", "nsubjpass") or (tok is trigger and c.dep_ == "poss"):
                return c
    return None


_VISIT_WINDOW = 1  # "X will visit India. ... during the talks with Prime Minister Y": the next sentence


def with_visitor(ids: list[str], trigger: Token, index: int, found: list[Candidate],
                 leaders: dict[str, LeaderRef]) -> list[str]:
    """'Putin will visit India. It is expected that during the talks with Prime Minister Modi ...':
    subjectless talks with a leader of the country a visit just told goes to are the visitor's."""
    if len(ids) != 1 or (trigger.pos_ == "VERB" and _nearest_subject(trigger) is not None):
        return ids
    host = leaders.get(ids[0])
    if host is None or host.country is None:
        return ids
    for c in reversed(found):
        if index - c.sent_index > _VISIT_WINDOW:
            break
        m = c.mention
        if m.type is EventType.VISIT and len(m.participants) == 1 and m.participants[0] not in ids \
                and c.destination is not None and c.destination.country == host.country:
            return [m.participants[0], *ids]
    return ids


def first_person(trigger: Token) -> bool:
    """'I will meet X', 'we held talks with X': the trigger's subject is the one speaking."""
    subject = _nearest_subject(trigger)
    return subject is not None and subject.lower_ in _FIRST


def addressed(trigger: Token) -> bool:
    """'You will meet X', 'your meeting with X': the trigger's subject is the person spoken to."""
    subject = _nearest_subject(trigger)
    return subject is not None and subject.lower_ in _SECOND


def _infinitive(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def with_speaker(ids: list[str], sent: Span, trigger: Token,
                 leaders: dict[str, LeaderRef] | None = None) -> list[str]:
    """'We had a very good meeting with Justin' in a transcript turn: the speaker is the subject;
    'you will hold talks with X' there: the person spoken to is."""
    subject = _nearest_subject(trigger)
    if subject is None:
        return ids
    # "It is a pleasure to receive X": the speaker receives
    expletive = subject.lower_ == "it" and any(_infinitive(t) for t in governing_chain(trigger))
    if subject.lower_ in _FIRST or expletive:
        who = _speaking(sent, trigger.i)
    elif subject.lower_ in _SECOND and leaders is not None:
        who = _addressee(sent, trigger.i, leaders)
    else:
        return ids
    return [who, *ids] if who is not None and who not in ids else ids


def _addressee(sent: Span, at: int, leaders: dict[str, LeaderRef]) -> str | None:
    """Whom the speaker of a transcript turn speaks to: the leader hailed in the turn so far ('Mr Lavrov,
    you ...'), else the one other speaker of the transcript, else the one other leader of the
    headline and lead ('Talks with Chancellor X' over the host's turn)."""
    doc = sent.doc
    turns = [start for start, _ in doc._.speakers or [] if start < at]
    if not turns:
        return None
    speaking = _speaking(sent, at)
    for ent in reversed([e for e in doc.ents if turns[-1] <= e.start and e.end <= at]):
        if ent.label_ != "PERSON" or ent.kb_id_ not in leaders or ent.kb_id_ == speaking:
            continue
        after = doc[ent.end] if ent.end < len(doc) else None
        before = ent.start - 1
        while before >= 0 and doc[before].lower_ in _VOCATIVE_TITLES:
            before -= 1
        opens = before < 0 or doc[before].is_sent_start or doc[before].text in (":", ",") \
            or doc[before + 1].is_sent_start
        if after is not None and after.text in (",", "!") and opens:
            return ent.kb_id_
    others = {who for _, who in doc._.speakers or [] if who != speaking}
    if len(others) == 1:
        return others.pop()
    lead_end = next((s.end for i, s in enumerate(doc.sents) if i == 1), len(doc))
    named = {e.kb_id_ for e in doc.ents if e.end <= lead_end and e.label_ == "PERSON"
             and e.kb_id_ in leaders and e.kb_id_ != speaking}
    return named.pop() if len(named) == 1 else None


def _speaking(sent: Span, at: int | None = None) -> str | None:
    """The leader whose transcript turn this sentence (or its token `at`) is in, if any."""
    at = sent.start if at is None else at
    turns = [leader for start, leader in sent.doc._.speakers or [] if start < at]
    return turns[-1] if turns else None


def _leaders_before(sent: Span, leaders: dict[str, LeaderRef]) -> list[Span]:
    """Leaders named in the text just before the sentence, nearest first: what a pronoun stands for."""
    floor = max(0, sent.start_char - _PRONOUN_CHARS)
    return [e for e in reversed(sent.doc.ents) if floor <= e.start_char and e.end <= sent.start
            and e.label_ == "PERSON" and e.kb_id_ in leaders]


def pronoun_subject(trigger: Token, ids: list[str], leaders: dict[str, LeaderRef]) -> str | None:
    """'He' as the subject: the last leader named as a subject in the two sentences before."""
    chain = governing_chain(trigger)
    subjects = [c for t in chain for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not any(c.lower_ in ("he", "she") for c in subjects):
        return None
    return next((e.kb_id_ for e in _leaders_before(trigger.sent, leaders)
                 if e.kb_id_ not in ids and e.root.dep_ in ("nsubj", "nsubjpass")), None)


def with_object_pronoun(ids: list[str], trigger: Token, leaders: dict[str, LeaderRef]) -> list[str]:
    """'I am delighted to welcome him here': 'him'/'her' as the object of the meeting verb (or of its
    'with') is the last leader named before this sentence who is neither in it nor speaking it."""
    objects = [c for c in trigger.children if c.dep_ == "dobj"] + [
        g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "with" for g in c.children
        if g.dep_ == "pobj"]
    if any(o.lower_ == "you" for o in objects):  # "I am glad to see you": the one spoken to
        guest = _addressee(trigger.sent, trigger.i, leaders)
        return ids if guest is None or guest in ids else [*ids, guest]
    if not any(o.lower_ in ("him", "her") for o in objects):
        return ids
    speaking = _speaking(trigger.sent)
    guest = next((e.kb_id_ for e in _leaders_before(trigger.sent, leaders)
                  if e.kb_id_ not in ids and e.kb_id_ != speaking), None)
    return ids if guest is None else [*ids, guest]


_MISREAD = frozenset({"GPE", "ORG", "NORP", "LOC"})


class PersonMerger:
    """One entity id per person per document (see the module docstring). Pure: reads and rewrites
    doc.ents, doc._.leaders and doc._.speakers."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.names: NameIndex = name_index(kb)

    def _parts(self, words: list[str]) -> tuple[str, ...]:
        return name_parts(words, self.names.rules, lambda t: self.kb.country_of_word(t) is not None)

    def __call__(self, doc: Doc) -> Doc:
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        if not persons:
            return doc
        linked = {e.kb_id_ for e in persons if e.kb_id_ in self.kb.by_id}
        parts = {e.start: self._parts([t.text for t in e]) for e in persons}
        remap: dict[str, str] = {}
        unlinked: dict[frozenset[str], str] = {}  # parts of each unlinked person -> its id
        for e in persons:
            if not e.kb_id_.startswith("name:"):
                continue
            p = parts[e.start]
            fits = [i for i in self.names.lookup(p) if i in linked]
            if len(fits) == 1:  # "name:Kishida Fumio-san" beside a linked "Kishida": the leader
                remap[e.kb_id_] = fits[0]
            elif frozenset(p) in unlinked and unlinked[frozenset(p)] != e.kb_id_:
                remap[e.kb_id_] = unlinked[frozenset(p)]  # "NOVAK Jan" and "Jan Novak": one person
            else:
                unlinked.setdefault(frozenset(p), e.kb_id_)
        spans: list[Span] = self._bare_surnames(doc, unlinked)
        changed = bool(spans)
        for e in doc.ents:
            new_id = remap.get(e.kb_id_) if e.label_ == "PERSON" else None
            if new_id is None and e.label_ == "PERSON" and not e.kb_id_:
                new_id = self._unlinked_short(parts[e.start], unlinked)
            elif new_id is None and e.label_ in _MISREAD and not e.kb_id_ and len(e) == 1 and unlinked:
                # NER made a bare surname a place or a body ("Tammsaar met Macron"); the gazetteer's
                # own places carry an id and stay.
                new_id = self._unlinked_short(self._parts([e.text]), unlinked, surname_only=True)
            if new_id is not None and new_id != e.kb_id_:
                spans.append(Span(doc, e.start, e.end, label="PERSON", kb_id=new_id))
                changed = True
            else:
                spans.append(e)
        if not changed:
            return doc
        doc.ents = filter_spans(spans)
        leaders: dict[str, LeaderRef] = dict(doc._.leaders or {})
        for old, new in remap.items():
            ref = leaders.pop(old, None)
            if new not in leaders and ref is not None:
                name = self.kb.by_id[new].name if new in self.kb.by_id else ref.name
                leaders[new] = LeaderRef(new, name, ref.role, ref.country)
        doc._.leaders = leaders
        doc._.speakers = [(i, remap.get(who, who)) for i, who in doc._.speakers or []]
        return doc

    def _bare_surnames(self, doc: Doc, unlinked: dict[frozenset[str], str]) -> list[Span]:
        """'Tammsaar met Macron' after 'Jaan Tammsaar, the Prime Minister of Estonia': NER often
        leaves a sentence-initial surname untagged. A capitalised word outside every entity that is
        the last name part of exactly one unlinked person of this document is that person."""
        owners: dict[str, set[str]] = {}
        for who in unlinked.values():
            last = self._surname(who)
            if last is not None:
                owners.setdefault(last, set()).add(who)
        if not owners:
            return []
        taken = {t for e in doc.ents for t in range(e.start, e.end)}
        out: list[Span] = []
        for tok in doc:
            if tok.i in taken or not (tok.is_title or tok.is_upper) or len(tok) < 2:
                continue
            part = self._parts([tok.text])
            named = owners.get(part[0]) if part else None
            if named is not None and len(named) == 1:
                out.append(Span(doc, tok.i, tok.i + 1, label="PERSON", kb_id=next(iter(named))))
        return out

    def _unlinked_short(self, p: tuple[str, ...], unlinked: dict[frozenset[str], str], *,
                        surname_only: bool = False) -> str | None:
        """'Mr Novak' after 'Prime Minister of Ruritania Jan Novak': the one unlinked person with that
        name part (a span NER calls a person), or that last name part (one it misread as a place); a
        full spelling of one ('Jan NOVAK') is that person too."""
        if not p:
            return None
        if not surname_only and frozenset(p) in unlinked:
            return unlinked[frozenset(p)]
        if len(p) != 1:
            return None
        owners = {who for key, who in unlinked.items() if len(key) > 1
                  and (p[0] == self._surname(who) if surname_only else p[0] in key)}
        return owners.pop() if len(owners) == 1 else None

    def _surname(self, who: str) -> str | None:
        """The last name part of an unlinked person's id ('name:Jaan Tammsaar' -> 'tammsaar')."""
        words = who.removeprefix("name:").split()
        last = self._parts(words[-1:]) if len(words) >= 2 else ()
        return last[0] if last else None


@Language.factory(
    "newswire_person_merge_v1",
    default_config={"leaders_file": None},
    requires=["doc.ents", "doc._.leaders"],
    assigns=["doc.ents", "doc._.leaders", "doc._.speakers"],
)
def make_person_merge(nlp: Language, name: str, leaders_file: str | None) -> PersonMerger:
    ensure_extensions()
    return PersonMerger(load_knowledge(leaders_file))
