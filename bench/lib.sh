# Shared by bench/run and bench/split (sourced, not run): the scratch directory and the processes to stop
# on exit, the load generator, the /proc readings and the tokens. Expects $server (the pid whose CPU is
# measured) and $warm (seconds of unmeasured warm-up) to be set by the caller before wrk_run.

need() { command -v "$1" > /dev/null 2>&1; }
if ! need wrk; then
  if need apt-get && [[ $(id -u) == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk > /dev/null
  else
    echo "the benchmark needs wrk (Debian package wrk)" >&2
    exit 1
  fi
fi

# Scratch data of the run ($data, removed on exit) and the processes to stop on exit (add pids to $pids)
data=$(mktemp -d)
secret=bench-secret-bench-secret-bench-secret-0123
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

wait_ready() { # url, seconds
  local deadline=$((SECONDS + $2))
  until curl -sf "$1" > /dev/null; do
    (( SECONDS < deadline )) || { echo "not ready: $1" >&2; exit 1; }
    sleep 0.05
  done
}

# CPU time (ms) a process has used so far: utime + stime of /proc/<pid>/stat (fields 14, 15, in clock ticks)
tick_ms=$(( 1000 / $(getconf CLK_TCK) ))
cpu_ms() { awk -v t="$tick_ms" '{ print ($14 + $15) * t }' "/proc/$1/stat"; }
# Busy share of the whole machine between two snapshots of /proc/stat's first line ("busy total")
machine() { awk '/^cpu / { idle = $5 + $6; total = 0; for (i = 2; i <= 9; i++) total += $i; print total - idle, total }' /proc/stat; }
busy_pct() { # "busy total" before, "busy total" after
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", 100 * (y[1] - x[1]) / (y[2] - x[2]) }'
}
# CPU microseconds of a process per unit of work: cpu_per <cpu ms before> <cpu ms after> <units>
cpu_per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1000 / n : 0) }'; }

# Events a server has accepted so far (its own counter, painjournal_ingest_events_total): accepted <url>
accepted() { curl -s "$1/metrics" | awk '/^painjournal_ingest_events_total\{.*outcome="accepted"/ { s += $2 } END { printf "%d", s }'; }

# wrk → "req/s p50_ms p99_ms non2xx requests server_cpu_us_per_request busy_pct", after an unmeasured
# warm-up of the same load. The CPU figure is the server's ($server), over the measured part only.
# WRK (default "wrk -t2") is the generator's command, e.g. "taskset -c 0 wrk -t1".
wrk_run() { # connections, seconds, script, url
  local gen=${WRK:-wrk -t2}
  $gen -c"$1" -d"$warm"s -s "$3" "$4" > /dev/null 2>&1
  local c0 m0 line
  c0=$(cpu_ms "$server"); m0=$(machine)
  line=$($gen -c"$1" -d"$2"s --latency -s "$3" "$4" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /requests in/ { n = $1 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    /non-2xx answers/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, bad + 0, n }')
  read -r -a f <<< "$line"
  echo "$line $(cpu_per "$c0" "$(cpu_ms "$server")" "${f[4]}") $(busy_pct "$m0" "$(machine)")"
}

# Tokens: HS256 with $secret. jwt <sub> <role>, valid two hours.
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
jwt() {
  local h p s
  h=$(printf '{"alg":"HS256","typ":"JWT"}' | b64)
  p=$(printf '{"sub":"%s","roles":["%s"],"exp":%d}' "$1" "$2" $(( $(date +%s) + 7200 )) | b64)
  s=$(printf '%s.%s' "$h" "$p" | openssl dgst -sha256 -hmac "$secret" -binary | b64)
  echo "$h.$p.$s"
}

# Needs $port and $jvm (java options) from the caller.
# start_server <data dir> <log>: starts the all-in-one jar (with the settings of server_env added), waits
# until ready; sets $server and $ready_ms
server_env=()
start_server() {
  local t0
  t0=$(date +%s%N)
  # The load generator is one address and one token: rate limits off, as behind a gateway that limits.
  env "${server_env[@]}" DATA_DIR="$1" HTTP_PORT=$port HTTP_HOST=127.0.0.1 JWT_SECRET=$secret RATE_LIMIT_TOKEN_PER_S=0 RATE_LIMIT_ADDRESS_PER_S=0 \
    java "${jvm[@]}" -XX:SharedArchiveFile=app/target/pain-journal.jsa -jar app/target/pain-journal.jar > "$2" 2>&1 &
  server=$!
  pids+=("$server")
  wait_ready "http://127.0.0.1:$port/health/ready" 600
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}
stop_server() {
  kill "$server" 2> /dev/null || true
  wait "$server" 2> /dev/null || true
}
# kill_server: kill -9, as a crash would
kill_server() {
  kill -9 "$server" 2> /dev/null || true
  wait "$server" 2> /dev/null || true
}
