# Production image of Regioportaal Veiligheid: one image for web (uvicorn), worker and beat.
# Built and run by docker-compose.yml; every setting comes from the environment.

FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.13-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PORTAL_ENV=production \
    DJANGO_SETTINGS_MODULE=portal.settings PORTAL_DATA_DIR=/srv/data
WORKDIR /app
# The fonts of the PDF exports (imv/exports/fonts.py): Liberation Sans for Latin, DejaVu Sans for Arabic
# and Hebrew, Symbola for emoji.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-liberation fonts-dejavu-core fonts-symbola \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.9 && useradd --create-home --uid 1000 portal
COPY requirements.lock ./
RUN uv pip install --system --no-cache -r requirements.lock
COPY --from=assets /app/node_modules/@utrecht/component-library-css ./node_modules/@utrecht/component-library-css
COPY . .
# collectstatic reads settings, which want a database and Redis address and a key; none is used.
RUN DATABASE_URL=postgresql://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    DJANGO_SECRET_KEY=build-only-key-that-is-never-used-to-sign-anything-at-all \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /srv/data/media && chown -R portal /srv/data
USER portal
EXPOSE 8000
# X-Forwarded-For and -Proto are believed only from the addresses in FORWARDED_ALLOW_IPS (uvicorn reads
# it; docker-compose.yml requires it): from anyone else they would let a client choose its own address.
CMD ["uvicorn", "portal.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--workers", "2"]
