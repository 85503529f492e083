# Preflight: a single image that serves Slack (HTTP or Socket Mode) and runs the standup workers.
# Build:  docker build -t preflight .
# Run:    docker compose up   (see docker-compose.yml), or
#         docker run --init --env-file .env -v "$PWD/preflight.yml:/app/preflight.yml:ro" \
#           -e PREFLIGHT_CONFIG=/app/preflight.yml -p 3000:3000 preflight
# At start Preflight creates its database if missing and applies migrations/ itself; no separate step.
# Other entry points in the image: `node dist/db/migrate-cli.js` (migrations only),
# `node dist/cli/config-check.js /app/preflight.yml` (check a config file; `--preview` adds the next 3 days),
# `node dist/cli/preview-cli.js --config /app/preflight.yml` (what Preflight will do, see README),
# `node dist/cli/export.js --what answers --from 2026-11-01 --to 2026-11-30` (export; README "Export and API").
#
# Two stages: `build` installs every dependency (TypeScript included) and compiles src/ to dist/
# (`npm run build`); the runtime stage installs production dependencies only and receives dist/ and
# migrations/, no TypeScript sources, tests or tooling. Both run Node.js 26, the current LTS line
# (Active LTS from 2026-10-28, end of life 2029-04-30); CI runs the test suite on Node 22 (the floor,
# package.json `engines`) and on 26.
# test/unit/dockerfile.test.ts checks this file's structure (there is no Docker engine in CI).

FROM node:26-trixie-slim AS build

ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build


FROM node:26-trixie-slim AS runtime

# MALLOC_ARENA_MAX=2 is also set by `npm run start:prod` (test/unit/dockerfile.test.ts checks they agree): glibc's
# malloc otherwise keeps an arena per thread (V8's GC helpers, libuv), ~7 MB more resident after a burst
# (bench/RESULTS-blockers.md, section 4).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first, so code changes reuse this layer. package.json also makes dist/*.js ES modules ("type": "module").
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# dist/db/migrate.js reads ../../migrations, i.e. /app/migrations (as src/db/migrate.ts does from src/db/).
COPY --from=build /app/dist ./dist
COPY migrations ./migrations

# Files stay root-owned (read-only for the app); run as the image's unprivileged `node` user.
USER node

EXPOSE 3000

# GET /healthz answers 200 when Postgres and Redis respond, 503 otherwise (src/slack/health.ts).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node is the command itself (no npm or shell in between), so SIGTERM reaches it and it shuts down gracefully
# (< 10 s). Run with an init process (`docker run --init`, `init: true` in compose) so signals and orphaned
# processes are handled as PID 1. The V8 flags are the ones of `npm run start:prod` (test/unit/dockerfile.test.ts
# checks they agree); why, measured, is in bench/RESULTS-blockers.md (section 4): 4 MB semi-spaces (V8's default
# grows to 16 MB each) and an old generation that grows by 20 % over what survives a full GC (V8's default
# grows it up to 4x under a high allocation rate) keep the process at ~105 MB idle and ~140 MB at 200 /blocker/s,
# instead of ~230-250 MB, for ~5-10 % more CPU per request. Source maps (--enable-source-maps) cost ~11 MB
# resident; add them with NODE_OPTIONS=--enable-source-maps when a stack trace must point into src/.
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=20", "dist/main.js"]
