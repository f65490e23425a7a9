#!/usr/bin/env bash
# `npm start` smoke on whatever node is first on PATH: builds as `npm start` does, boots the
# platform on a fresh embedded database (no DATABASE_URL), waits for the banner and every
# /health, then SIGINT (Ctrl-C) must end it with exit code 0. The node process is run directly
# because npm itself always reports an interrupted script as exit code 130.
set -euo pipefail
# Job control: the background job gets its own process group, and SIGINT reaches it as a
# terminal's Ctrl-C would (a plain `&` job in a script ignores SIGINT).
set -m
cd "$(dirname "$0")/.."
data="$(mktemp -d)"
log="$data/start.log"
npm run --silent build
ports=(${SMOKE_PORTS:-3900 3901 3902})
env -u DATABASE_URL -u NODE_OPTIONS DATA_DIR="$data" REDIS_PREFIX="smoke$$" LOG_LEVEL=warn \
  PARENT_API_PORT="${ports[0]}" GATEWAY_PORT="${ports[1]}" ADMIN_API_PORT="${ports[2]}" \
  node dist/apps/main.js >"$log" 2>&1 &
pid=$!
cleanup() {
  redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "smoke$$:*" | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null
  rm -rf "$data"
}
fail() { echo "start smoke: $1"; cat "$log"; kill -KILL -- "-$pid" 2>/dev/null || true; cleanup; exit 1; }
for _ in $(seq 1 240); do
  grep -q 'is running' "$log" && break
  kill -0 "$pid" 2>/dev/null || fail "npm start exited before it was running"
  sleep 0.5
done
grep -q 'is running' "$log" || fail "no banner within 120 s"
for port in "${ports[@]}"; do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null || fail "GET :$port/health failed"
done
kill -INT "$pid"
code=0; wait "$pid" || code=$?
[ "$code" = 0 ] || fail "exit code $code after SIGINT"
cleanup
echo "start smoke: $(node --version) booted, every /health answered, Ctrl-C exited 0"
