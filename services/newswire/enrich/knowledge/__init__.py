"""Leader, place and word knowledge as data files, validated at load."""

from .base import KnowledgeBase, ascii_fold, build_knowledge, load_knowledge
from .schema import City, Country, Leader, Lexicon, Office, Organisation, Role, RolePhrase, Source, Venue

__all__ = [
    "City",
    "Country",
    "KnowledgeBase",
    "Leader",
    "Lexicon",
    "Office",
    "Organisation",
    "Role",
    "RolePhrase",
    "Source",
    "Venue",
    "ascii_fold",
    "build_knowledge",
    "load_knowledge",
]
