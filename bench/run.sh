#!/usr/bin/env bash
# Measures signed GetSecretValue and PutSecretValue throughput and p50/p99 latency at 64 concurrent
# connections against a fresh Coffer on this machine, and records the figures in BENCHMARKS.md.
#
#   bench/run.sh                 build, run everything (about 2.5 minutes), add a block to BENCHMARKS.md
#   BENCH_RECORD=0 bench/run.sh  the same, without touching BENCHMARKS.md
#   BENCH_PROFILE=1 bench/run.sh also record JFR (CPU-time sampling) during the measured runs
#   BENCH_PROFILE=perf bench/run.sh  record `perf record -g` of the server instead (kernel and native frames too),
#                                    summarised per run by bench/perf-shares.py (needs perf: Debian's linux-perf)
#
# Knobs (environment): BENCH_DURATION (s, default 20), BENCH_WARMUP (s, default 10), BENCH_CONNECTIONS (64),
# BENCH_THREADS (wrk threads, 2), BENCH_SECRETS (64), BENCH_PORT (18790), BENCH_PUT_MAX_RATE (put requests
# pre-signed per second of run, 6000), BENCH_PINNED (1: also run Get with wrk and Coffer on separate cores),
# BENCH_PUT (1: run PutSecretValue), BENCH_ROLE (1: also run Get as a role session whose policy holds 20
# statements with conditions, to compare with the administrator), BENCH_AUDIT (on; off: the server keeps only the access
# log, no durable audit trail, to measure what the trail costs). COFFER_JAVA_OPTS and COFFER_AUDIT_LOG_LEVEL reach the server (./coffer).
# See bench/README.md for what is measured and how to read it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"

duration="${BENCH_DURATION:-20}"
warmup="${BENCH_WARMUP:-10}"
conns="${BENCH_CONNECTIONS:-64}"
threads="${BENCH_THREADS:-2}"
secrets="${BENCH_SECRETS:-64}"
port="${BENCH_PORT:-18790}"
put_max_rate="${BENCH_PUT_MAX_RATE:-6000}"
pinned="${BENCH_PINNED:-1}"
put="${BENCH_PUT:-1}"
role="${BENCH_ROLE:-1}"
record="${BENCH_RECORD:-1}"
audit="${BENCH_AUDIT:-on}"
audit_flag=""
[ "$audit" = off ] && audit_flag="--no-durable-audit"
profile="${BENCH_PROFILE:-0}"
put_warmup=5

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
if [ "$profile" = perf ]; then
  command -v perf >/dev/null || die "BENCH_PROFILE=perf needs perf (Debian: apt-get install -y linux-perf)"
  # Without frame pointers perf cannot walk through JIT-compiled Java frames.
  export COFFER_JAVA_OPTS="${COFFER_JAVA_OPTS:-} -XX:+PreserveFramePointer"
fi

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing wrk (Debian package)"
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
  else
    die "wrk is not installed (Debian: apt-get install -y wrk)"
  fi
fi

# ---- build ------------------------------------------------------------------------------------
# package, not install: ~/.m2 may be shared with other builds, and the reactor resolves the modules itself.
log "building (mvnw package -DskipTests)"
./mvnw -B -q -o package -DskipTests
bench_jar="$root/bench/target/coffer-bench.jar"
[ -f "$bench_jar" ] || die "no $bench_jar after the build"

# A fresh data directory on the disk the repository is on (never tmpfs: fsync must be real).
run_dir="$root/bench/target/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"
data_dir="$run_dir/data"
fs_line="$(df -PT "$run_dir" | awk 'NR==2 {print $2 " on " $1 ", mounted at " $7}')"
fs_opts="$(findmnt -no OPTIONS --target "$run_dir" 2>/dev/null | cut -d, -f1-3 || true)"
case "$fs_line" in tmpfs*|ramfs*) die "$run_dir is on $fs_line: durable writes would not touch a disk";; esac

server_pid=""
start_server() {
  : >"$run_dir/server.out"
  ./coffer server --data-dir "$data_dir" --listen "127.0.0.1:$port" $audit_flag >>"$run_dir/server.out" 2>>"$run_dir/server.log" &
  server_pid=$!
  for _ in $(seq 1 120); do
    grep -q "Coffer ready at" "$run_dir/server.out" 2>/dev/null && return 0
    kill -0 "$server_pid" 2>/dev/null || die "Coffer exited during start; see $run_dir/server.log"
    sleep 0.5
  done
  die "Coffer did not print 'Coffer ready at' within 60 s"
}
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

tool() { tool_as "$data_dir/admin.credentials" "$@"; }
tool_as() { "$java" -jar "$bench_jar" "$2" --endpoint "http://127.0.0.1:$port" --credentials "$1" --secrets "$secrets" "${@:3}"; }

# CPU accounting: clock ticks used by the server process, by wrk, and by the whole machine while wrk ran.
hz="$(getconf CLK_TCK)"
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# run_wrk NAME SCRIPT FILE MODE WRK_THREADS SECONDS [taskset-prefix...]
# Runs wrk, keeps its output in $run_dir/NAME.txt, and appends the CPU figures to the BENCH line.
run_wrk() {
  local name="$1" script="$2" file="$3" mode="$4" wthreads="$5" secs="$6"
  shift 6
  local s0 m0 s1 m1 wrk_ticks l0 l1
  l0="$(wc -l <"$run_dir/server.log")"
  s0="$(proc_ticks "$server_pid")"; m0="$(machine_busy_ticks)"
  (
    "$@" wrk -t"$wthreads" -c"$conns" -d"${secs}s" --timeout 10s --latency -s "bench/$script" "http://127.0.0.1:$port/" \
      -- "$file" "$wthreads" "$mode"
    times
  ) >"$run_dir/$name.txt" 2>&1 || die "wrk failed for $name: $(tail -3 "$run_dir/$name.txt")"
  s1="$(proc_ticks "$server_pid")"; m1="$(machine_busy_ticks)"
  l1="$(wc -l <"$run_dir/server.log")"
  # Server-side time per request (the audit line's durationMicros: from the pipeline taking the request to its
  # answer, so without the time in the socket, Jetty's parser and the wait for a thread).
  local server_side
  server_side="$(sed -n "$((l0 + 1)),${l1}p" "$run_dir/server.log" | { grep -o 'durationMicros=[0-9]*' || true; } | cut -d= -f2 | sort -n |
    awk '{a[NR] = $1} END {if (NR == 0) print "srv_n=0"; else printf "srv_n=%d srv_p50_us=%d srv_p99_us=%d srv_p999_us=%d\n", NR, a[int(NR * 0.5) + 1], a[int(NR * 0.99) + 1], a[int(NR * 0.999) + 1]}')"
  # `times` prints the subshell's own times, then its children's (wrk): "0m1.230s 0m0.450s".
  wrk_ticks="$(tail -1 "$run_dir/$name.txt" | awk -v hz="$hz" '{
      n = split($1 " " $2, t, " "); s = 0
      for (i = 1; i <= n; i++) { split(t[i], p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
      printf "%d", s * hz }')"
  local line
  line="$(grep '^BENCH ' "$run_dir/$name.txt")" || die "no BENCH line from wrk for $name"
  echo "$line $server_side server_ticks=$((s1 - s0)) wrk_ticks=$wrk_ticks machine_ticks=$((m1 - m0)) hz=$hz" >"$run_dir/$name.bench"
  log "$name: $(cut -c1-150 <<<"$line")"
}
field() { grep -o " $2=[^ ]*" "$run_dir/$1.bench" | head -1 | cut -d= -f2; }
require_clean() { # NAME: every response a 200, no socket errors (a response slower than 10 s is one), no repeated put
  local name="$1"
  [ "$(field "$name" wrk_status_errors)" = 0 ] || die "$name: $(field "$name" wrk_status_errors) non-2xx responses"
  [ "$(field "$name" socket_errors)" = 0 ] || die "$name: $(field "$name" socket_errors) socket errors or timeouts"
  [ "$(field "$name" non200)" = 0 ] || die "$name: non-200 responses ($(field "$name" statuses))"
  [ "$(field "$name" exhausted)" = 0 ] || die "$name: ran out of distinct pre-signed puts; raise BENCH_PUT_MAX_RATE"
  if [ "$(field "$name" counted)" = 1 ]; then
    [ "$(field "$name" ok)" = "$(field "$name" requests)" ] || die "$name: ok $(field "$name" ok) != requests $(field "$name" requests)"
  fi
}
perf_pid=""
maybe_profile() { # NAME SECONDS
  case "$profile" in
    1) "$JAVA_HOME/bin/jcmd" "$server_pid" JFR.start name="$1" settings=profile "+jdk.CPUTimeSample#enabled=true" \
         "+jdk.CPUTimeSample#throttle=2ms" duration="$2s" filename="$run_dir/$1.jfr" >/dev/null ;;
    perf) perf record -F 499 -g -p "$server_pid" -o "$run_dir/$1.perf.data" -- sleep "$2" >/dev/null 2>"$run_dir/$1.perf.log" &
          perf_pid=$! ;;
  esac
}
end_profile() { # NAME: after the phase, name its Java frames (the server's perf map) and summarise where the CPU went
  [ "$profile" = perf ] || return 0
  wait "$perf_pid" || die "perf record failed: $(tail -3 "$run_dir/$1.perf.log")"
  "$JAVA_HOME/bin/jcmd" "$server_pid" Compiler.perfmap >/dev/null
  bench/perf-shares.py "$run_dir/$1.perf.data" >"$run_dir/$1.perf.txt"
  log "$1: where the CPU went in $run_dir/$1.perf.txt"
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---- server and requests ---------------------------------------------------------------------
log "starting Coffer on 127.0.0.1:$port, data in $data_dir ($fs_line)"
start_server
log "seeding $secrets secrets"
tool seed >&2
tool get-file --out "$run_dir/get.req" >&2

# ---- GetSecretValue -----------------------------------------------------------------------------
log "GetSecretValue warm-up ${warmup}s (every response checked)"
run_wrk get-warmup replay-counted.lua "$run_dir/get.req" cycle "$threads" "$warmup"
require_clean get-warmup
log "GetSecretValue ${duration}s, $threads wrk threads, $conns connections"
maybe_profile get "$duration"
run_wrk get replay.lua "$run_dir/get.req" cycle "$threads" "$duration"
end_profile get
require_clean get

if [ "$pinned" = 1 ]; then
  log "GetSecretValue ${duration}s pinned: Coffer on CPU 1, wrk (1 thread) on CPU 0"
  taskset -a -p -c 1 "$server_pid" >/dev/null
  maybe_profile get-pinned "$duration"
  run_wrk get-pinned replay.lua "$run_dir/get.req" cycle 1 "$duration" taskset -c 0
  end_profile get-pinned
  taskset -a -p -c 0-"$(($(nproc) - 1))" "$server_pid" >/dev/null
  require_clean get-pinned
fi

# ---- GetSecretValue as a least-privilege role session ------------------------------------------
if [ "$role" = 1 ]; then
  tool role-session --out "$run_dir/role.credentials" >&2
  tool_as "$run_dir/role.credentials" get-file --out "$run_dir/get-role.req" >&2
  log "GetSecretValue as role session, warm-up ${warmup}s (every response checked)"
  run_wrk get-role-warmup replay-counted.lua "$run_dir/get-role.req" cycle "$threads" "$warmup"
  require_clean get-role-warmup
  log "GetSecretValue as role session ${duration}s, $threads wrk threads, $conns connections"
  run_wrk get-role replay.lua "$run_dir/get-role.req" cycle "$threads" "$duration"
  require_clean get-role
  rm -f "$run_dir/role.credentials"
fi

# ---- PutSecretValue -----------------------------------------------------------------------------
if [ "$put" = 1 ]; then
  put_count=$((put_max_rate * duration))
  log "pre-signing $put_count + $((put_max_rate * put_warmup)) distinct PutSecretValue requests"
  tool put-file --out "$run_dir/put-warmup.req" --count $((put_max_rate * put_warmup)) --tag w >&2
  tool put-file --out "$run_dir/put.req" --count "$put_count" --tag p >&2
  log "PutSecretValue warm-up ${put_warmup}s"
  run_wrk put-warmup replay-counted.lua "$run_dir/put-warmup.req" once "$threads" "$put_warmup"
  require_clean put-warmup
  log "PutSecretValue ${duration}s, $threads wrk threads, $conns connections"
  maybe_profile put "$duration"
  run_wrk put replay-counted.lua "$run_dir/put.req" once "$threads" "$duration"
  end_profile put
  require_clean put

  # Durability: every acknowledged put is a new version, so after SIGKILL and a restart the server must hold at
  # least seeded + acknowledged versions. It may hold up to one more per connection per wrk run: the puts in flight
  # when wrk stops at its deadline are processed by the server but never counted by wrk.
  acked=$(( $(field put-warmup ok) + $(field put ok) ))
  expected=$((secrets + acked))
  slack=$((2 * conns))
  before_kill="$(tool count-versions)"
  log "versions on the server: $before_kill (at least $secrets seeded + $acked acknowledged puts = $expected, at most $slack more in flight at wrk's stops)"
  kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  start_server
  after_restart="$(tool count-versions)"
  log "after kill -9 and restart: $after_restart versions"
  durable="yes"
  if [ "$after_restart" -lt "$expected" ] || [ "$after_restart" -gt $((expected + slack)) ] \
      || [ "$before_kill" != "$after_restart" ]; then durable="NO"; fi
fi
stop_server

# ---- results --------------------------------------------------------------------------------------
cpu_model="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
mem_total="$(free -h | awk '/^Mem:/ {print $2}')"
jdk="$("$java" -version 2>&1 | head -1)"
wrk_version="$( (wrk -v 2>&1 || true) | head -1 | awk '{print $1, $2}')"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo '+changes')"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
# The command as typed: the knobs set in the environment, then bench/run.sh.
command_line="$(env | { grep -E '^(BENCH_[A-Z_]+|COFFER_JAVA_OPTS|COFFER_AUDIT_LOG_LEVEL)=' || true; } | sort |
  sed -E "s/^([^=]+)=(.*)$/\\1='\\2'/" | tr '\n' ' ')bench/run.sh"

row() { # NAME LABEL BAR_RPS BAR_P99_US WRK_CMD
  local n="$1" rps p50 p99 p999 reqs st sock srv wrkt mach secs cores_s cores_w cores_o cpu_req verdict
  rps="$(field "$n" rps)"; p50="$(field "$n" p50_us)"; p99="$(field "$n" p99_us)"; p999="$(field "$n" p999_us)"
  reqs="$(field "$n" requests)"; st="$(field "$n" wrk_status_errors)"; sock="$(field "$n" socket_errors)"
  srv="$(field "$n" server_ticks)"; wrkt="$(field "$n" wrk_ticks)"; mach="$(field "$n" machine_ticks)"
  secs="$(awk -v d="$(field "$n" duration_us)" 'BEGIN {printf "%.3f", d / 1e6}')"
  read -r cores_s cores_w cores_o cpu_req < <(awk -v s="$srv" -v w="$wrkt" -v m="$mach" -v t="$secs" -v hz="$hz" -v r="$reqs" \
    'BEGIN { o = m - s - w; if (o < 0) o = 0; printf "%.2f %.2f %.2f %d\n", s/hz/t, w/hz/t, o/hz/t, (s/hz)*1e6/r }')
  verdict="meets"
  awk -v r="$rps" -v b="$3" 'BEGIN {exit !(r < b)}' && verdict="misses"
  if [ "$4" != "-" ] && [ "$p99" -ge "$4" ]; then verdict="misses"; fi
  if [ "$n" = put ] && [ "$durable" != yes ]; then verdict="misses (durability check failed)"; fi
  local srv_side="n/a"
  if [ "$(field "$n" srv_n)" != 0 ]; then
    srv_side="$(awk -v a="$(field "$n" srv_p50_us)" -v b="$(field "$n" srv_p99_us)" 'BEGIN {printf "%.2f / %.2f ms", a/1000, b/1000}')"
  fi
  local raw_mean wrk_conns="$conns"
  raw_mean="$(awk -v c="$wrk_conns" -v r="$rps" 'BEGIN {printf "%.2f ms", c / r * 1000}')"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s | %s / %s / %s | %s |\n' "$2" \
    "${rps%.*}" "$reqs" "$raw_mean" \
    "$(awk -v u="$p50" 'BEGIN {printf "%.2f ms", u/1000}')" "$(awk -v u="$p99" 'BEGIN {printf "%.2f ms", u/1000}')" \
    "$(awk -v u="$p999" 'BEGIN {printf "%.2f ms", u/1000}')" "$srv_side" "$st" "$sock" "$cpu_req µs" "$cores_s" "$cores_w" "$cores_o" "$verdict"
}

block="$run_dir/result.md"
{
  echo "### $(date -u '+%Y-%m-%d %H:%M UTC') — \`$command_line\` at $commit"
  echo
  echo "- Machine: $(nproc) CPUs ($cpu_model), $mem_total RAM, kernel $(uname -r); $jdk; $wrk_version"
  echo "- Data directory: $fs_line ($fs_opts); SQLite WAL, synchronous=FULL; durable audit trail: $audit"
  echo "- Load average before / after: $load_before / $load_after"
  echo "- Command: \`$command_line\` (duration ${duration}s, warm-up ${warmup}s Get + ${put_warmup}s Put, $secrets secrets). Load: \`wrk -t$threads -c$conns -d${duration}s --timeout 10s --latency -s bench/replay.lua\` (Get, pre-signed requests replayed), \`wrk -t$threads -c$conns -d${duration}s --timeout 10s --latency -s bench/replay-counted.lua\` (Put, each request once)$([ "$pinned" = 1 ] && echo "; pinned Get: \`taskset -a -p -c 1 <coffer>\` and \`taskset -c 0 wrk -t1 -c$conns\`")"
  [ "$profile" = 1 ] && echo "- Profiled: JFR (profile settings + CPU-time sampling) ran during the measured Get and Put runs, which costs some throughput"
  [ -n "${COFFER_JAVA_OPTS:-}${COFFER_AUDIT_LOG_LEVEL:-}" ] && echo "- Server settings: COFFER_JAVA_OPTS='${COFFER_JAVA_OPTS:-}' COFFER_AUDIT_LOG_LEVEL='${COFFER_AUDIT_LOG_LEVEL:-}'"
  [ "$put" = 1 ] && echo "- Put durability: $acked puts acknowledged with 200; versions on the server $before_kill before and $after_restart after \`kill -9\` + restart (expected $expected to $((expected + slack)), the excess being puts still in flight when wrk stopped): durable = $durable"
  echo
  echo "| run | req/s | requests | mean = conns / req/s | p50 | p99 | p99.9 | server-side p50 / p99 | non-2xx / socket errors | Coffer CPU per request | cores used: Coffer / wrk / other | bar |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
  row get "GetSecretValue, ${conns} conns, wrk -t$threads" 10000 5000
  [ "$role" = 1 ] && row get-role "GetSecretValue as a role session (20 statements with conditions), ${conns} conns" 10000 5000
  [ "$pinned" = 1 ] && row get-pinned "GetSecretValue pinned (Coffer CPU 1, wrk CPU 0)" 10000 5000
  [ "$put" = 1 ] && row put "PutSecretValue (durable), ${conns} conns, wrk -t$threads" 1000 -
  if [ "$role" = 1 ]; then
    echo
    awk -v r="$(field get-role rps)" -v a="$(field get rps)" 'BEGIN {printf "- Role session (20 statements with conditions) vs administrator, GetSecretValue throughput in this run: %.0f / %.0f = %.1f%%\n", r, a, 100 * r / a}'
  fi
  echo
} >"$block"
cat "$block"

if [ "$record" = 1 ]; then
  python3 - "$root/BENCHMARKS.md" "$block" <<'EOF'
import sys, pathlib
doc, block = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_text()
marker = "<!-- bench/run.sh adds each run below this line, newest first -->"
text = doc.read_text() if doc.exists() else "# Benchmarks\n\n## Results\n\n" + marker + "\n"
if marker not in text:
    text = text.rstrip("\n") + "\n\n## Results\n\n" + marker + "\n"
doc.write_text(text.replace(marker, marker + "\n\n" + block.rstrip("\n") + "\n", 1))
EOF
  log "added the results to BENCHMARKS.md"
fi
# The pre-signed puts are large and useless once their 15 minutes are over; the server log is kept, compressed.
rm -f "$run_dir"/put*.req
gzip -f "$run_dir/server.log"
log "raw output in $run_dir"
