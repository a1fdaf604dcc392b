"""Participants carry their event's day, indexed with the participant: `/events?participant=` reads
the newest events of one person straight off an index instead of walking every event by day.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("event_participants", sa.Column("day", sa.Date))
    # Participants are only ever written with their event, so every row finds one; the fallback
    # only keeps a hand-edited database migrating.
    op.execute(
        "UPDATE event_participants SET day = coalesce("
        "(SELECT events.day FROM events WHERE events.id = event_participants.event_id), '1970-01-01')"
    )
    with op.batch_alter_table("event_participants") as batch:
        batch.alter_column("day", existing_type=sa.Date, nullable=False)
        batch.drop_index("ix_event_participants_participant_id_event_id")
        batch.drop_index("ix_event_participants_name_key_event_id")
        batch.create_index(
            "ix_event_participants_participant_id_day_event_id", ["participant_id", "day", "event_id"]
        )
        batch.create_index("ix_event_participants_name_key_day_event_id", ["name_key", "day", "event_id"])


def downgrade() -> None:
    with op.batch_alter_table("event_participants") as batch:
        batch.drop_index("ix_event_participants_participant_id_day_event_id")
        batch.drop_index("ix_event_participants_name_key_day_event_id")
        batch.create_index("ix_event_participants_participant_id_event_id", ["participant_id", "event_id"])
        batch.create_index("ix_event_participants_name_key_event_id", ["name_key", "event_id"])
        batch.drop_column("day")
