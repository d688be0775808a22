# Copy to instance/config.py and adjust. Environment variables (DATABASE_URL, SECRET_KEY, MONITOR_*) override it.
# SECRET_KEY = "a long random value: python3 -c 'import secrets; print(secrets.token_hex(32))'"
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://monitor@127.0.0.1:5432/monitor"
# FORCE_HTTPS = True
# PROXY_FIX_COUNT = 1
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"
