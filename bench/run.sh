#!/usr/bin/env bash
# Builds the jar, starts it on a fresh embedded broker, and measures freshness and ingest throughput.
# Usage: bench/run.sh [freshness-samples]     (figures go to stdout; the server's log to bench/target/server.log)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -DskipTests
data=$(mktemp -d)
port=${BENCH_PORT:-18099}
secret=bench-secret-bench-secret-bench-secret-0123
DATA_DIR="$data" HTTP_PORT=$port HTTP_HOST=127.0.0.1 JWT_SECRET=$secret \
  java -Xmx1g -jar app/target/pain-journal.jar > bench/target/server.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null && break
  sleep 0.5
done
# an admin token signed with the same secret (HS256), made with openssl
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64)
payload=$(printf '{"sub":"bench","roles":["admin"],"exp":%d}' $(( $(date +%s) + 3600 )) | b64)
sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64)
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
java -cp bench/target/bench.jar:app/target/pain-journal.jar io.painjournal.bench.Bench \
  "http://127.0.0.1:$port" "$header.$payload.$sig" "${1:-200}"
