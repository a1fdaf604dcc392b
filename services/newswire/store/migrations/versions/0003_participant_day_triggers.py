"""PostgreSQL keeps event_participants.day equal to events.day with two row triggers.

The bulk writer used to re-sync every batch's participants with one UPDATE ... = ANY(ids), which
PostgreSQL ran as a sequential scan testing each row against the whole id array: its cost grew
with the table (in a profile, ~50 µs per article with 10,000 articles stored, ~425 µs with 30,000),
so the store slowed down as it filled. Row triggers touch only the rows of the events
written, through the primary key, whatever the table size. SQLite keeps its per-batch UPDATE
(a correlated subquery on the primary key there), so this revision is PostgreSQL-only.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_UP = [
    # A participant written after its event (always: the writer upserts events first) takes the
    # day the stored event has, which differs from the staged one when an undated report of an
    # already dated event arrives.
    """CREATE FUNCTION newswire_participant_takes_event_day() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         NEW.day := coalesce((SELECT e.day FROM events e WHERE e.id = NEW.event_id), NEW.day);
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER participant_takes_event_day BEFORE INSERT ON event_participants
       FOR EACH ROW EXECUTE FUNCTION newswire_participant_takes_event_day()""",
    # An event whose day moves (a later report gives the date) moves its participants with it.
    """CREATE FUNCTION newswire_event_day_to_participants() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE event_participants SET day = NEW.day WHERE event_id = NEW.id AND day <> NEW.day;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER event_day_to_participants AFTER UPDATE OF day ON events
       FOR EACH ROW WHEN (OLD.day IS DISTINCT FROM NEW.day)
       EXECUTE FUNCTION newswire_event_day_to_participants()""",
]

_DOWN = [
    "DROP TRIGGER IF EXISTS event_day_to_participants ON events",
    "DROP FUNCTION IF EXISTS newswire_event_day_to_participants()",
    "DROP TRIGGER IF EXISTS participant_takes_event_day ON event_participants",
    "DROP FUNCTION IF EXISTS newswire_participant_takes_event_day()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _UP:
        op.execute(statement)
    # Rows written before this revision by a batch whose re-sync was interrupted: bring them in step.
    op.execute(
        "UPDATE event_participants p SET day = e.day FROM events e WHERE e.id = p.event_id AND p.day <> e.day"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _DOWN:
        op.execute(statement)
