# One image for web, worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
COPY . .
RUN pip install --no-cache-dir . && npm ci --no-audit --no-fund \
    && mkdir -p static/vendor/plotly \
    && cp node_modules/plotly.js-geo-dist-min/plotly-geo.min.js static/vendor/plotly/plotly.min.js \
    && { echo '(function () { var module = {};'; cat node_modules/plotly.js-locales/es.js; \
         echo '; if (window.Plotly) { window.Plotly.register(module.exports); } })();'; } \
         > static/vendor/plotly/locale-es.js \
    && pybabel compile --domain django --directory locale --locale es \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
# The web service; docker-compose.yml runs migrations first. Worker and beat
# override the command. config/gunicorn.conf.py recycles workers (--max-requests).
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"]
