FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# WeasyPrint renders certificates with Pango and HarfBuzz's subsetter.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
COPY requirements/ requirements/
RUN python -m pip install --no-cache-dir --require-hashes --no-deps -r requirements/bootstrap.txt \
    && uv pip install --system --no-cache --require-hashes -r requirements/base.txt
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only STATIC_MANIFEST=1 python manage.py collectstatic --noinput
RUN useradd --system --uid 10001 app && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
