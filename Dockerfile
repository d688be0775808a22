# The production image: the web service (gunicorn) and the scheduler process run from it (see compose.yaml).
#   docker build -t remigration-monitor .
FROM python:3.11-slim

# WeasyPrint (the report PDF) needs Pango and a font with the Latvian letters; curl for the health check
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MONITOR_INSTANCE_PATH=/var/lib/monitor MONITOR_LOG_FORMAT=json HOST=0.0.0.0 PORT=8000 FLASK_APP=wsgi.py

WORKDIR /app
COPY pyproject.toml README.md ./
COPY forms ./forms
COPY reports ./reports
COPY monitor ./monitor
COPY scheduler ./scheduler
# the .mo files are compiled before installing, so that they ship with the package
RUN pip install babel \
 && pybabel compile -d monitor/translations -D messages \
 && pip install . \
 && rm -rf build *.egg-info
# migrations (flask db upgrade), the WSGI module and gunicorn's settings stay beside the installed package
COPY migrations ./migrations
COPY wsgi.py ./
COPY deploy/gunicorn.conf.py ./deploy/gunicorn.conf.py

RUN useradd --system --uid 10001 --home-dir /var/lib/monitor --create-home monitor
USER monitor

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"]
