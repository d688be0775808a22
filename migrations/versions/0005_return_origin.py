"""annual_return.origin: returns filled in through the service vs. imported history

Revision ID: 0005_return_origin
Revises: 0004_scheduler
Create Date: 2026-11-26 16:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0005_return_origin'
down_revision = '0004_scheduler'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('annual_return', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='form', nullable=False))


def downgrade():
    with op.batch_alter_table('annual_return', schema=None) as batch_op:
        batch_op.drop_column('origin')
