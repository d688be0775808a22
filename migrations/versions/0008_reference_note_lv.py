"""reference_figure.note_lv: the Latvian note of a reference figure, beside the English ``note``

Revision ID: 0008_reference_note_lv
Revises: 0007_public_profiles
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008_reference_note_lv'
down_revision = '0007_public_profiles'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reference_figure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note_lv', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('reference_figure', schema=None) as batch_op:
        batch_op.drop_column('note_lv')
