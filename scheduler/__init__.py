"""Scheduled jobs (report compilation, e-mail and reminders, completeness snapshots, draft re-validation), run by
``python -m scheduler`` in a process of its own — never inside web workers. Imports ``monitor``; nothing in
``monitor`` imports this package."""
