"""Backups of the database: ``flask backup create | verify | restore | prune`` and the nightly scheduler job.

``manifest`` and ``retention`` are pure; ``sqlite`` and ``postgres`` dump and restore one engine each;
``operations`` is the one path the CLI and the job share.
"""
