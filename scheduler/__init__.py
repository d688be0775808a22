"""Scheduled jobs (report compilation, reminders, completeness snapshots), run in a process of their own.

Built under the scheduler issue; nothing here runs inside web workers.
"""
