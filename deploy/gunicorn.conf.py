"""gunicorn settings of the production recipe (Dockerfile, compose.yaml, deploy/systemd/monitor-web.service,
deploy/try-recipe): ``gunicorn -c deploy/gunicorn.conf.py "monitor:create_app()"``.

Environment: ``HOST`` (default 127.0.0.1; the container listens on 0.0.0.0) and ``PORT`` (default 8000),
``WEB_CONCURRENCY`` (worker processes, default 2), ``WEB_THREADS`` (threads per worker, default 4). gunicorn's own
lines are JSON too when ``MONITOR_LOG_FORMAT=json``; requests are logged by the application (``monitor.logs``),
so gunicorn's access log stays off.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
# a request that takes longer is killed; the slowest legitimate one (a history import at its bound, see README)
# takes well under it
timeout = 60
graceful_timeout = 30
keepalive = 5
control_socket_disable = True  # gunicorn 27's control socket is not used
accesslog = None
errorlog = "-"
loglevel = "info"

if os.environ.get("MONITOR_LOG_FORMAT", "").lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "monitor.logs.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False}},
    }
