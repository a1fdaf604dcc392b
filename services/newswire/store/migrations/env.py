"""Alembic environment. Migrations run on the connection `newswire.store.db.migrate` hands over
(`config.attributes["connection"]`); `alembic -x url=...` from a shell also works, with a sync URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from newswire.store.tables import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # command line: alembic -c ... -x url=postgresql://...
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("pass the database with -x url=postgresql://... or sqlite:///file")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
