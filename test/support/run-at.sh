#!/usr/bin/env bash
# Runs the tests as if the run started at <instant> (ISO 8601, e.g. 2026-03-08T06:58:00Z), to show they do not
# depend on the hour, weekday, date or DST state of the machine.
#
#   test/support/run-at.sh <instant> [vitest run arguments...]
#   npm run test:at -- 2026-11-28T10:30:00Z --project integration
#
# libfaketime (Debian/Ubuntu package `faketime`) shifts the wall clock of Node and of every process the tests
# start (bot processes get its variables passed on: test/support/clock-env.ts) by a fixed offset, so time still
# advances and timers behave; the monotonic clock is left alone (DONT_FAKE_MONOTONIC). The Postgres and Redis
# servers keep the real clock: Preflight takes "now" from its own clock (src/clock.ts) and BullMQ from Node's,
# never from the servers.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 1 ]; then
  echo "usage: $0 <instant, e.g. 2026-03-08T06:58:00Z> [vitest run arguments...]" >&2
  exit 2
fi
target="$1"
shift
command -v faketime >/dev/null || { echo "run-at: faketime not found (Debian/Ubuntu: apt-get install faketime)" >&2; exit 2; }
target_s=$(date -u -d "$target" +%s) || { echo "run-at: cannot read the instant '$target'" >&2; exit 2; }
offset=$((target_s - $(date -u +%s)))
echo "run-at: clock shifted by ${offset}s; the run starts at $(date -u -d "@$target_s" '+%A %Y-%m-%dT%H:%M:%SZ')" >&2
export DONT_FAKE_MONOTONIC=1
exec faketime -f "$(printf '%+d' "$offset")" npx vitest run "$@"
