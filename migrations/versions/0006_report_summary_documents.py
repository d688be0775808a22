"""report_snapshot.summary (what pages spanning years read) and report_document (the stored PDF of a snapshot)

Revision ID: 0006_report_summary_documents
Revises: 0005_return_origin
Create Date: 2026-12-02 09:00:00

"""
import json

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from reports.summary import summarise

# revision identifiers, used by Alembic.
revision = '0006_report_summary_documents'
down_revision = '0005_return_origin'
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')


def upgrade():
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', JSON, nullable=True))
    op.create_table(
        'report_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('snapshot_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=True),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('build_ms', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['snapshot_id'], ['report_snapshot.id'], name=op.f('fk_report_document_snapshot_id_report_snapshot'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_report_document')),
        sa.UniqueConstraint('snapshot_id', 'locale', name=op.f('uq_report_document_snapshot_id_locale')),
    )
    with op.batch_alter_table('report_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_document_snapshot_id'), ['snapshot_id'], unique=False)
    # fill in the summary of every snapshot compiled before (one at a time: payloads are large)
    bind = op.get_bind()
    snapshot = sa.table('report_snapshot', sa.column('id', sa.Integer), sa.column('payload', JSON),
                        sa.column('summary', JSON))
    for (snapshot_id,) in bind.execute(sa.select(snapshot.c.id)).all():
        payload = bind.execute(sa.select(snapshot.c.payload).where(snapshot.c.id == snapshot_id)).scalar()
        if isinstance(payload, str):
            payload = json.loads(payload)
        if payload:
            bind.execute(snapshot.update().where(snapshot.c.id == snapshot_id).values(summary=summarise(payload)))


def downgrade():
    with op.batch_alter_table('report_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_document_snapshot_id'))
    op.drop_table('report_document')
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.drop_column('summary')
