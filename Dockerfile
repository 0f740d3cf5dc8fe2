# The one image of the service: web (gunicorn), Celery worker and beat run it with
# different commands (docker-compose.yml). Static files are served by the app itself
# (WhiteNoise, hashed and compressed at build time); no proxy needs the files.
# What the site takes from npm (package.json "dependencies": bpmn-js's viewer for the
# dashboards), installed from the lock file; never committed, never from a CDN.
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# pg_dump and pg_restore of the PostgreSQL that docker-compose.yml runs, with that
# version's libpq beside them: bookworm's own client is older, and an older pg_dump
# refuses a newer server. `manage.py backup` finds them in /usr/lib/postgresql/<major>/.
FROM postgres:16-bookworm AS pgclient
RUN mkdir -p /pgclient/bin /pgclient/lib \
    && cp /usr/lib/postgresql/16/bin/pg_dump /usr/lib/postgresql/16/bin/pg_restore /pgclient/bin/ \
    && cp -P /usr/lib/*-linux-gnu/libpq.so.5* /pgclient/lib/

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never \
    DJANGO_SETTINGS_MODULE=config.settings
WORKDIR /app
# The Debian packages the running site needs, from the project's one list:
# Pango and libharfbuzz-subset0 (WeasyPrint renders certificates), poppler-utils
# (pdftoppm draws a certificate's PNG), age and postgresql-client (backups; its libpq's
# own libraries serve the newer pg_dump copied below).
COPY scripts/system-deps.sh scripts/system-deps.sh
RUN bash scripts/system-deps.sh runtime && rm -rf /var/lib/apt/lists/*
# Locked, hash-checked dependencies: a changed or substituted package fails the build.
COPY requirements/ requirements/
RUN python -m pip install --no-cache-dir --require-hashes --no-deps -r requirements/bootstrap.txt \
    && uv pip install --system --no-cache --require-hashes -r requirements/base.txt
COPY . .
COPY --from=assets /assets/node_modules node_modules
COPY --from=pgclient /pgclient /usr/lib/postgresql/16
RUN DEBUG=0 SECRET_KEY=build-only-not-a-secret STATIC_MANIFEST=1 \
    python manage.py collectstatic --noinput \
    && mkdir -p var/private
# Never root at run time; the code is read-only for the service user.
RUN useradd --system --uid 10001 --no-create-home app && chown -R app var
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.conf.py"]
