"""the full-text search of published measures on PostgreSQL (issue 12, public search and open-data API)

A GIN index over ``to_tsvector('simple', search_text)`` — the expression ``monitor.public.search`` queries with
``@@ to_tsquery('simple', 'word:* & …')`` — on the measures in force (``WHERE is_latest``, as every search). ``search_text`` is stored lower-case and without diacritics by the
application, so the index needs no ``unaccent``. SQLite searches with LIKE: nothing to do there.

Revision ID: 0009_measure_search
Revises: 0008_reference_note_lv
Create Date: 2026-12-02 10:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_measure_search'
down_revision = '0008_reference_note_lv'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE INDEX ix_published_measure_search_fts ON published_measure "
                   "USING gin (to_tsvector('simple'::regconfig, search_text)) WHERE is_latest")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_published_measure_search_fts")
