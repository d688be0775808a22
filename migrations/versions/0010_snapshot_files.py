"""export_file (research exports built once and stored: each compiled year's workbooks and CSV zips, and ranges of
years built on request) and export_build (a user's request for an export the scheduler builds)

Revision ID: 0010_snapshot_files
Revises: 0011_job_runs
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0010_snapshot_files'
down_revision = '0011_job_runs'
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')


def upgrade():
    op.create_table(
        'export_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('variant', sa.String(length=120), nullable=False),
        sa.Column('first_year', sa.Integer(), nullable=False),
        sa.Column('last_year', sa.Integer(), nullable=False),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('rows', JSON, nullable=False),
        sa.Column('data_rows', sa.Integer(), nullable=False),
        sa.Column('trigger', sa.String(length=20), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('build_ms', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_file')),
        sa.UniqueConstraint('variant', 'fingerprint', name=op.f('uq_export_file_variant_fingerprint')),
    )
    with op.batch_alter_table('export_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_file_variant'), ['variant'], unique=False)
    op.create_table(
        'export_build',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('variant', sa.String(length=120), nullable=False),
        sa.Column('choices', JSON, nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('years_total', sa.Integer(), nullable=False),
        sa.Column('years_done', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('file_id', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['file_id'], ['export_file.id'], name=op.f('fk_export_build_file_id_export_file'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'],
                                name=op.f('fk_export_build_requested_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_build')),
    )
    with op.batch_alter_table('export_build', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_build_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_build_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('export_build', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_build_status'))
        batch_op.drop_index(batch_op.f('ix_export_build_requested_by_id'))
    op.drop_table('export_build')
    with op.batch_alter_table('export_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_file_variant'))
    op.drop_table('export_file')
