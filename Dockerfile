# Production Scheduling Studio: the Streamlit app with the scheduling package.
#   docker build -t production-scheduling-studio .
#   docker run -p 8501:8501 -e PSS_COOKIE_KEY=... -v studio-data:/app/var production-scheduling-studio
# Without DATABASE_URL the app keeps a SQLite file in /app/var (mount a volume there).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PSS_DATA_DIR=/app/var \
    PSS_MAX_UPLOAD_MB=20 \
    STREAMLIT_SERVER_MAX_UPLOAD_SIZE=20 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

WORKDIR /app

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin app

COPY requirements.txt .
RUN pip install -r requirements.txt

# Code stays owned by root (read-only for the app user); only the data dir is writable.
COPY . .
RUN mkdir -p /app/var && chown app:app /app/var
VOLUME ["/app/var"]

USER app

EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4); sys.exit(0 if r.status == 200 else 1)"]

CMD ["streamlit", "run", "streamlit_app.py", "--server.address=0.0.0.0", "--server.port=8501"]
