"""WSGI entry point: ``gunicorn wsgi:app``."""

from monitor import create_app

app = create_app()
