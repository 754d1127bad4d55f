# Production image: the app under gunicorn; the same image runs the worker and beat.
FROM python:3.11-slim AS base
# Bytecode compiled at build time (UV_COMPILE_BYTECODE, compileall below): the app user
# can't write it, and compiling ~1,200 modules on every start cost seconds per
# process (deploy, each gunicorn worker, each Celery process).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir uv && useradd --system --create-home app
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN python -m compileall -q .
RUN DEBUG=true SECRET_KEY=build-only python manage.py collectstatic --noinput
USER app
EXPOSE 8000
CMD ["gunicorn", "mentorship.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
