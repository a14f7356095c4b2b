#!/usr/bin/env bash
# Measures signed GetSecretValue and durable PutSecretValue throughput for three deployments on this machine,
# in one run so their ratios compare: one node on SQLite (the embedded default), one node on PostgreSQL, and
# three nodes on one PostgreSQL database (the load spread evenly over them, as a load balancer would).
# Records the figures in BENCHMARKS.md.
#
#   bench/cluster.sh                 build, run all three (about 4 minutes), add a block to BENCHMARKS.md
#   BENCH_RECORD=0 bench/cluster.sh  the same, without touching BENCHMARKS.md
#
# Knobs (environment): BENCH_DURATION (s, default 15), BENCH_WARMUP (s, 5), BENCH_CONNECTIONS (total, 64),
# BENCH_SECRETS (64), BENCH_PORT (first port, 18800), BENCH_PUT_MAX_RATE (puts pre-signed per second, 3000),
# BENCH_POSTGRES (host:port, 127.0.0.1:5432; user postgres, trust auth), BENCH_CONFIGS ("sqlite-1 pg-1 pg-3"),
# BENCH_SERVER_ARGS (more `coffer server` options for every node, e.g. --no-durable-audit to measure the trail's cost).
# Everything runs on one machine — nodes, PostgreSQL and wrk share its cores — so three nodes measure the cost
# of coordination (per-request change checks, SERIALIZABLE commits) rather than added capacity.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"

duration="${BENCH_DURATION:-15}"
warmup="${BENCH_WARMUP:-5}"
conns="${BENCH_CONNECTIONS:-64}"
secrets="${BENCH_SECRETS:-64}"
base_port="${BENCH_PORT:-18800}"
put_max_rate="${BENCH_PUT_MAX_RATE:-3000}"
pg="${BENCH_POSTGRES:-127.0.0.1:5432}"
configs="${BENCH_CONFIGS:-sqlite-1 pg-1 pg-3}"
read -r -a server_args <<<"${BENCH_SERVER_ARGS:-}"
record="${BENCH_RECORD:-1}"

log() { printf '[cluster-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed (Debian: apt-get install -y wrk)"
command -v psql >/dev/null || die "psql is not installed (Debian: apt-get install -y postgresql-client)"

log "building (mvnw install -DskipTests)"
./mvnw -B -q install -DskipTests
bench_jar="$root/bench/target/coffer-bench.jar"
run_dir="$root/bench/target/cluster-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"

pids=()
database=""
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  if [ -n "$database" ]; then
    psql -q -h "${pg%:*}" -p "${pg#*:}" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null || true
    database=""
  fi
}
trap stop_all EXIT

# start_node DIR PORT [server options...]: starts ./coffer server and waits for its ready line.
start_node() {
  local dir="$1" port="$2"
  shift 2
  mkdir -p "$dir"
  ./coffer server --data-dir "$dir" --listen "127.0.0.1:$port" "$@" ${server_args[@]+"${server_args[@]}"} >"$dir.out" 2>"$dir.log" &
  pids+=($!)
  for _ in $(seq 1 120); do
    grep -q "Coffer ready at" "$dir.out" 2>/dev/null && return 0
    sleep 0.5
  done
  die "node on port $port did not start; see $dir.log"
}

tool() { # CREDENTIALS PORT VERB ARGS...
  "$java" -jar "$bench_jar" "$3" --endpoint "http://127.0.0.1:$2" --credentials "$1" --secrets "$secrets" "${@:4}"
}

# wrk_all NAME SCRIPT MODE SECONDS NODES: one wrk per node, at the same time, each with conns/NODES connections
# replaying that node's pre-signed file; prints "rps p99_us non200 socket_errors" summed (p99: the worst node's).
wrk_all() {
  local name="$1" script="$2" mode="$3" secs="$4" n="$5" i per=$((conns / $5)) wpids=()
  for i in $(seq 1 "$n"); do
    wrk -t1 -c"$per" -d"${secs}s" --timeout 10s --latency -s "bench/$script" "http://127.0.0.1:$((base_port + i))/" \
      -- "$run_dir/$name-$i.req" 1 "$mode" >"$run_dir/$name-$i.txt" 2>&1 &
    wpids+=($!)
  done
  for pid in "${wpids[@]}"; do wait "$pid" || die "wrk failed for $name"; done
  for i in $(seq 1 "$n"); do grep '^BENCH ' "$run_dir/$name-$i.txt" || die "no BENCH line in $run_dir/$name-$i.txt"; done |
    awk '{ for (f = 2; f <= NF; f++) { split($f, kv, "="); v[kv[1]] = kv[2] }
           rps += v["rps"]; if (v["p99_us"] > p99) p99 = v["p99_us"]; bad += v["non200"] + v["wrk_status_errors"] + v["exhausted"]; sock += v["socket_errors"] }
         END { printf "%.0f %d %d %d\n", rps, p99, bad, sock }'
}

results="$run_dir/results.txt"
: >"$results"
for config in $configs; do
  engine="${config%-*}"; n="${config#*-}"
  log "== $config: $n node(s) on $engine"
  root_key="$run_dir/$config-root.key"
  storage=()
  if [ "$engine" = pg ]; then
    database="coffer_bench_$(date +%s)"
    psql -q -h "${pg%:*}" -p "${pg#*:}" -U postgres -d postgres -c "CREATE DATABASE $database" >/dev/null
    storage=(--storage "postgresql://postgres@$pg/$database" --root-key-file "$root_key")
  fi
  for i in $(seq 1 "$n"); do start_node "$run_dir/$config-node$i" $((base_port + i)) "${storage[@]}"; done
  creds="$run_dir/$config-node1/admin.credentials"
  tool "$creds" $((base_port + 1)) seed >&2
  for i in $(seq 1 "$n"); do
    tool "$creds" $((base_port + i)) get-file --out "$run_dir/get-$i.req" >&2
    tool "$creds" $((base_port + i)) put-file --out "$run_dir/put-$i.req" --count $((put_max_rate * duration / n)) --tag "p$i" >&2
    tool "$creds" $((base_port + i)) put-file --out "$run_dir/putw-$i.req" --count $((put_max_rate * warmup / n)) --tag "w$i" >&2
  done
  read -r _ _ bad sock < <(wrk_all get replay-counted.lua cycle "$warmup" "$n")
  [ "$bad" = 0 ] && [ "$sock" = 0 ] || die "$config Get warm-up: $bad non-200, $sock socket errors"
  read -r get_rps get_p99 bad sock < <(wrk_all get replay-counted.lua cycle "$duration" "$n")
  [ "$bad" = 0 ] && [ "$sock" = 0 ] || die "$config Get: $bad non-200, $sock socket errors"
  log "$config GetSecretValue: $get_rps req/s, p99 $get_p99 µs"
  read -r _ _ bad sock < <(wrk_all putw replay-counted.lua once "$warmup" "$n")
  [ "$bad" = 0 ] && [ "$sock" = 0 ] || die "$config Put warm-up: $bad non-200, $sock socket errors"
  read -r put_rps put_p99 bad sock < <(wrk_all put replay-counted.lua once "$duration" "$n")
  [ "$bad" = 0 ] && [ "$sock" = 0 ] || die "$config Put: $bad non-200, $sock socket errors (raise BENCH_PUT_MAX_RATE if exhausted)"
  log "$config PutSecretValue: $put_rps req/s, p99 $put_p99 µs"
  echo "$config $get_rps $get_p99 $put_rps $put_p99" >>"$results"
  stop_all
  rm -f "$run_dir"/*.req
done

cpu_model="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '+changes')"
pg_version="$(psql -h "${pg%:*}" -p "${pg#*:}" -U postgres -d postgres -tAc 'SHOW server_version' | cut -d' ' -f1)"
block="$run_dir/result.md"
{
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — \`bench/cluster.sh\` at $commit"
  echo
  echo "- Machine: $(nproc) CPUs ($cpu_model), kernel $(uname -r); PostgreSQL $pg_version on the same machine (default settings, fsync on); every node, PostgreSQL and wrk share the cores"
  [ -n "${BENCH_SERVER_ARGS:-}" ] && echo "- Server options added: \`${BENCH_SERVER_ARGS}\`"
  echo "- Load: $conns connections in all, split evenly over the nodes (one \`wrk -t1 -c$((conns))/N --latency\` per node, pre-signed requests replayed), ${duration}s after a ${warmup}s warm-up; every response checked to be a 200"
  echo
  echo "| deployment | GetSecretValue req/s | Get p99 (worst node) | PutSecretValue req/s (durable) | Put p99 (worst node) |"
  echo "|---|---:|---:|---:|---:|"
  while read -r config g gp p pp; do
    label="$config"
    case "$config" in sqlite-1) label="1 node, SQLite";; pg-1) label="1 node, PostgreSQL";; pg-*) label="${config#pg-} nodes, one PostgreSQL";; esac
    printf '| %s | %s | %.2f ms | %s | %.2f ms |\n' "$label" "$g" "$(awk -v u="$gp" 'BEGIN {print u/1000}')" "$p" "$(awk -v u="$pp" 'BEGIN {print u/1000}')"
  done <"$results"
  echo
} >"$block"
cat "$block"
if [ "$record" = 1 ]; then
  python3 - "$root/BENCHMARKS.md" "$block" <<'EOF'
import sys, pathlib
doc, block = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
marker = "<!-- bench/cluster.sh adds each run below this line, newest first -->"
text = doc.read_text()
if marker not in text:
    text = text.rstrip("\n") + "\n\n## Cluster runs (bench/cluster.sh)\n\n" + marker + "\n"
doc.write_text(text.replace(marker, marker + "\n\n" + block.rstrip("\n") + "\n", 1))
EOF
  log "added the results to BENCHMARKS.md"
fi
