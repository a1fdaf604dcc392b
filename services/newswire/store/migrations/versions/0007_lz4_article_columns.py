"""PostgreSQL compresses the article's large columns (body, search vector, mentions) with lz4.

A real article's row is ~6 KB before compression, so every insert goes through the toaster; with
pglz, compression was 20 % of PostgreSQL's CPU in the store benchmark. lz4 took PostgreSQL from
362-365 to 306-308 µs per article (store_bench.py write --text enriched, back to back). Rows already
stored keep pglz (PostgreSQL reads both). A server built without lz4 keeps pglz.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_COLUMNS = ("body", "search", "mentions")


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.execute(
        sa.text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return bool(found)


def upgrade() -> None:
    if _lz4_available():
        op.execute(
            "ALTER TABLE articles " + ", ".join(f"ALTER COLUMN {c} SET COMPRESSION lz4" for c in _COLUMNS)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE articles " + ", ".join(f"ALTER COLUMN {c} SET COMPRESSION pglz" for c in _COLUMNS)
        )
