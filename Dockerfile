# Preflight: a single image that serves Slack (HTTP or Socket Mode) and runs the standup workers.
# Build:  docker build -t preflight .
# Run:    docker compose up   (see docker-compose.yml), or
#         docker run --init --env-file .env -v "$PWD/preflight.yml:/app/preflight.yml:ro" \
#           -e PREFLIGHT_CONFIG=/app/preflight.yml -p 3000:3000 preflight
# At start Preflight creates its database if missing and applies migrations/ itself; no separate step.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app

# Dependencies first, so code changes reuse this layer. tsx is a runtime dependency (npm start is
# `exec node --import tsx src/main.ts`), so --omit=dev is enough to run.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations

# Files stay root-owned (read-only for the app); run as the image's unprivileged `node` user.
USER node

EXPOSE 3000

# GET /healthz answers 200 when Postgres and Redis respond, 503 otherwise (src/slack/health.ts).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# npm passes SIGTERM on to the app (the start script `exec`s node, so no shell sits in between), which
# shuts down gracefully (< 10 s). Run with an init process
# (`docker run --init`, `init: true` in compose) so signals and orphaned processes are handled as PID 1.
CMD ["npm", "start"]
