"""published_profile and published_measure: the public copies of approved returns (issue 12)

Revision ID: 0007_public_profiles
Revises: 0006_report_summary_documents
Create Date: 2026-12-02 09:30:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0007_public_profiles'
down_revision = '0006_report_summary_documents'
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), 'postgresql')


def upgrade():
    op.create_table('published_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('definition_version', sa.String(length=20), nullable=False),
    sa.Column('origin', sa.String(length=10), server_default='form', nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_latest', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('content', JSON, nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_published_profile_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['return_id'], ['annual_return.id'], name=op.f('fk_published_profile_return_id_annual_return'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_profile')),
    sa.UniqueConstraint('municipality_id', 'year', name=op.f('uq_published_profile_municipality_id_year'))
    )
    with op.batch_alter_table('published_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_profile_is_latest'), ['is_latest'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_profile_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_profile_return_id'), ['return_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_profile_year'), ['year'], unique=False)

    op.create_table('published_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('is_latest', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title_lv', sa.Text(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('description_lv', sa.Text(), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('who', sa.String(length=20), nullable=False),
    sa.Column('amount_min_eur', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('amount_max_eur', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('how_to_apply_lv', sa.Text(), nullable=True),
    sa.Column('how_to_apply_en', sa.Text(), nullable=True),
    sa.Column('links', JSON, nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_published_measure_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['profile_id'], ['published_profile.id'], name=op.f('fk_published_measure_profile_id_published_profile'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['planning_region.id'], name=op.f('fk_published_measure_region_id_planning_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_measure')),
    sa.UniqueConstraint('profile_id', 'position', name=op.f('uq_published_measure_profile_id_position'))
    )
    with op.batch_alter_table('published_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_published_measure_is_latest'), ['is_latest'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_measure_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_measure_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_measure_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_measure_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_measure_who'), ['who'], unique=False)
        batch_op.create_index(batch_op.f('ix_published_measure_year'), ['year'], unique=False)



def downgrade():
    with op.batch_alter_table('published_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_measure_year'))
        batch_op.drop_index(batch_op.f('ix_published_measure_who'))
        batch_op.drop_index(batch_op.f('ix_published_measure_region_id'))
        batch_op.drop_index(batch_op.f('ix_published_measure_profile_id'))
        batch_op.drop_index(batch_op.f('ix_published_measure_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_published_measure_kind'))
        batch_op.drop_index(batch_op.f('ix_published_measure_is_latest'))

    op.drop_table('published_measure')
    with op.batch_alter_table('published_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_published_profile_year'))
        batch_op.drop_index(batch_op.f('ix_published_profile_return_id'))
        batch_op.drop_index(batch_op.f('ix_published_profile_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_published_profile_is_latest'))

    op.drop_table('published_profile')
