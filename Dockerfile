# The production image: one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
RUN useradd --system --create-home claimtrack

COPY pyproject.toml README.md ./
COPY claimtrack ./claimtrack
COPY articles ./articles
COPY claims ./claims
RUN pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
# collectstatic reads settings, which need a key; this one exists only in this step.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

USER claimtrack
EXPOSE 8000
CMD ["gunicorn", "claimtrack.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
