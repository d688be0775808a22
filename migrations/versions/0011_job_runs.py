"""job_run.run_count and last_started_at: consecutive runs that found nothing to do are kept as one row

Revision ID: 0011_job_runs
Revises: 0012_signin
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0011_job_runs'
down_revision = '0012_signin'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_count', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('job_run', schema=None) as batch_op:
        batch_op.drop_column('last_started_at')
        batch_op.drop_column('run_count')
