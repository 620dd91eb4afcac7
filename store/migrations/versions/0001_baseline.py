"""Baseline: the schema as of main commit c775401, which ``Base.metadata.create_all`` made before migrations.

A database made by that ``create_all`` has these tables and no ``alembic_version``; ``store.schema`` stamps it
with this revision, so ``citetrack db upgrade`` takes it on from here. Frozen: never edit it.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the baseline schema."""
    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=2048), nullable=False, comment='URL, or absolute path of the ingested file'),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False, comment='sha256 of the article text'),
    sa.Column('url', sa.String(length=2048), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('byline', sa.Text(), nullable=True),
    sa.Column('publisher', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False, comment='plain text the claim offsets refer to'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('origin', 'content_hash', name=op.f('uq_articles_origin_content_hash')),
    sa.UniqueConstraint('origin', 'version', name=op.f('uq_articles_origin_version'))
    )
    op.create_table('bodies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False, comment='uncompressed size in bytes'),
    sa.Column('data', sa.LargeBinary(), nullable=False, comment='gzip-compressed body'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bodies')),
    sa.UniqueConstraint('sha256', name=op.f('uq_bodies_sha256'))
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2048), nullable=False, comment='canonical URL'),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False, comment='latest health status'),
    sa.Column('status_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replacement_url', sa.String(length=2048), nullable=True, comment="an editor's fix"),
    sa.Column('editor_note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('url', name=op.f('uq_sources_url'))
    )
    op.create_table('claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False, comment='ordinal in the article, from 1'),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False, comment='offset of the sentence in Article.text'),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('quotes', sa.JSON(), nullable=False, comment='[{"text", "start", "end"}] in the claim text'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_claims_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claims')),
    sa.UniqueConstraint('article_id', 'index', name=op.f('uq_claims_article_id_index'))
    )
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checks', sa.Integer(), nullable=False, comment='consecutive checks that saw the problem'),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('archive_url', sa.String(length=2048), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_flags_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    op.create_index(op.f('ix_flags_source_id'), 'flags', ['source_id', 'resolved_at'], unique=False)
    op.create_table('references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('outlet', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=2048), nullable=True, comment='the link as written; NULL = unresolved'),
    sa.Column('raw_text', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_references_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_references_source_id_sources'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_references')),
    sa.UniqueConstraint('article_id', 'number', name=op.f('uq_references_article_id_number'))
    )
    op.create_index(op.f('ix_references_source_id'), 'references', ['source_id'], unique=False)
    op.create_table('snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('final_url', sa.String(length=2048), nullable=True),
    sa.Column('redirect_chain', sa.JSON(), nullable=False, comment='[{"status", "url"}] hop by hop'),
    sa.Column('fetches', sa.JSON(), nullable=False, comment='every fetch behind this version (landing page, then its PDF): [{"url", "status", "content_type"}]'),
    sa.Column('etag', sa.String(length=512), nullable=True),
    sa.Column('last_modified', sa.String(length=128), nullable=True),
    sa.Column('content_type', sa.String(length=255), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True, comment='extracted text; evidence offsets refer to it'),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('author', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extractor', sa.String(length=64), nullable=True),
    sa.Column('extracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['body_id'], ['bodies.id'], name=op.f('fk_snapshots_body_id_bodies')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_snapshots_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshots'))
    )
    op.create_index(op.f('ix_snapshots_body_id'), 'snapshots', ['body_id'], unique=False)
    op.create_index(op.f('ix_snapshots_content_hash'), 'snapshots', ['content_hash'], unique=False)
    op.create_index(op.f('ix_snapshots_source_id'), 'snapshots', ['source_id', 'fetched_at'], unique=False)
    op.create_table('checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False, comment='fetched | unchanged | failed'),
    sa.Column('status', sa.String(length=32), nullable=False, comment='health status: ok, dead, soft_404, …'),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('final_url', sa.String(length=2048), nullable=True),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_checks_snapshot_id_snapshots'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_checks_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checks'))
    )
    op.create_index(op.f('ix_checks_source_id'), 'checks', ['source_id', 'checked_at'], unique=False)
    op.create_table('citations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('reference_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_citations_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reference_id'], ['references.id'], name=op.f('fk_citations_reference_id_references'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citations')),
    sa.UniqueConstraint('claim_id', 'number', name=op.f('uq_citations_claim_id_number'))
    )
    op.create_index(op.f('ix_citations_reference_id'), 'citations', ['reference_id'], unique=False)
    op.create_table('verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('reference_id', sa.Integer(), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False, comment='supported | partial | not_found | unavailable'),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False, comment='[{"text", "start", "end", "score"}]'),
    sa.Column('quotes', sa.JSON(), nullable=False, comment='[{"text", "found", "score", "start", "end"}]'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_verifications_claim_id_claims'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reference_id'], ['references.id'], name=op.f('fk_verifications_reference_id_references'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_verifications_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verifications'))
    )
    op.create_index(op.f('ix_verifications_claim_id'), 'verifications', ['claim_id', 'reference_id', 'verified_at'], unique=False)
    op.create_index(op.f('ix_verifications_snapshot_id'), 'verifications', ['snapshot_id'], unique=False)


def downgrade() -> None:
    """Drop every table."""
    op.drop_index(op.f('ix_verifications_snapshot_id'), table_name='verifications')
    op.drop_index(op.f('ix_verifications_claim_id'), table_name='verifications')
    op.drop_table('verifications')
    op.drop_index(op.f('ix_citations_reference_id'), table_name='citations')
    op.drop_table('citations')
    op.drop_index(op.f('ix_checks_source_id'), table_name='checks')
    op.drop_table('checks')
    op.drop_index(op.f('ix_snapshots_source_id'), table_name='snapshots')
    op.drop_index(op.f('ix_snapshots_content_hash'), table_name='snapshots')
    op.drop_index(op.f('ix_snapshots_body_id'), table_name='snapshots')
    op.drop_table('snapshots')
    op.drop_index(op.f('ix_references_source_id'), table_name='references')
    op.drop_table('references')
    op.drop_index(op.f('ix_flags_source_id'), table_name='flags')
    op.drop_table('flags')
    op.drop_table('claims')
    op.drop_table('sources')
    op.drop_table('bodies')
    op.drop_table('articles')
