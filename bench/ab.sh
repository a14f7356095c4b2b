#!/usr/bin/env bash
# Compares two Coffer servers in one run by interleaving: both run at once, and short GetSecretValue bursts
# alternate between them (A, B, B, A, A, B, ...), so a drift in the machine's speed falls on both alike. On a
# shared machine a loop's speed was seen to change 4x within a minute, which makes two separate runs
# incomparable; the ratio of interleaved bursts stays meaningful.
#
#   bench/ab.sh                                       trail on (A) against trail off (B): what the audit trail costs
#   BENCH_A_ARGS='' BENCH_B_JAR=/other/coffer.jar bench/ab.sh   this build (A) against another build (B)
#
# Knobs: BENCH_A_ARGS / BENCH_B_ARGS (extra `coffer server` arguments; default A '' and B '--no-durable-audit'),
# BENCH_A_JAR / BENCH_B_JAR (default: this tree's coffer-cli/target/coffer.jar), BENCH_ROUNDS (12 bursts each),
# BENCH_BURST (s, 5), BENCH_WARMUP (s per server, 90), BENCH_CONNECTIONS (64), BENCH_SECRETS (64), BENCH_PINNED
# (1: each server pinned to CPU 1 while measured, wrk on CPU 0; 0: both unpinned, wrk with 2 threads), BENCH_PAIRS
# (1: how many pairs of fresh servers to measure one after the other; two instances of one build were seen to differ
# by 5-10% for a whole run, JIT and heap layout being their own, so a figure that must resolve less than that wants
# several pairs).
# Prints one line per burst and a summary (also in bench/target/ab-*/summary.txt), to copy into BENCHMARKS.md with
# the command that produced it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"

a_args="${BENCH_A_ARGS-}"
b_args="${BENCH_B_ARGS---no-durable-audit}"
rounds="${BENCH_ROUNDS:-12}"
burst="${BENCH_BURST:-5}"
warmup="${BENCH_WARMUP:-90}"
conns="${BENCH_CONNECTIONS:-64}"
secrets="${BENCH_SECRETS:-64}"
pinned="${BENCH_PINNED:-1}"
pairs="${BENCH_PAIRS:-1}"

log() { printf '[ab %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
command -v wrk >/dev/null || die "wrk is not installed (Debian: apt-get install -y wrk)"

log "building (mvnw package -DskipTests)"
./mvnw -B -q -o package -DskipTests
bench_jar="$root/bench/target/coffer-bench.jar"
a_jar="${BENCH_A_JAR:-$root/coffer-cli/target/coffer.jar}"
b_jar="${BENCH_B_JAR:-$root/coffer-cli/target/coffer.jar}"

run_dir="$root/bench/target/ab-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"
case "$(df -PT "$run_dir" | awk 'NR==2 {print $2}')" in tmpfs|ramfs) die "$run_dir is on tmpfs: fsync would not be real";; esac

declare -A pid port jar args
port[A]=18791; port[B]=18792
jar[A]="$a_jar"; jar[B]="$b_jar"
args[A]="$a_args"; args[B]="$b_args"

stop_all() {
  for s in A B; do
    if [ -n "${pid[$s]:-}" ] && kill -0 "${pid[$s]}" 2>/dev/null; then kill "${pid[$s]}" 2>/dev/null || true; wait "${pid[$s]}" 2>/dev/null || true; fi
  done
}
trap stop_all EXIT

# start_pair P: starts fresh A and B servers (data under $run_dir/P/), seeds each, writes their request files
start_pair() {
  local p="$1" s
  mkdir -p "$run_dir/$p"
  for s in A B; do
    : >"$run_dir/$p/$s.out"
    # shellcheck disable=SC2086 # the extra arguments are words
    "$java" --enable-native-access=ALL-UNNAMED -jar "${jar[$s]}" server --data-dir "$run_dir/$p/$s" \
      --listen "127.0.0.1:${port[$s]}" ${args[$s]} >>"$run_dir/$p/$s.out" 2>>"$run_dir/$p/$s.log" &
    pid[$s]=$!
  done
  for s in A B; do
    for _ in $(seq 1 120); do
      grep -q "Coffer ready at" "$run_dir/$p/$s.out" 2>/dev/null && break
      kill -0 "${pid[$s]}" 2>/dev/null || die "server $s exited during start; see $run_dir/$p/$s.log"
      sleep 0.5
    done
    grep -q "Coffer ready at" "$run_dir/$p/$s.out" || die "server $s did not start within 60 s"
    tool=("$java" -jar "$bench_jar")
    "${tool[@]}" seed --endpoint "http://127.0.0.1:${port[$s]}" --credentials "$run_dir/$p/$s/admin.credentials" --secrets "$secrets" >&2
    "${tool[@]}" get-file --endpoint "http://127.0.0.1:${port[$s]}" --credentials "$run_dir/$p/$s/admin.credentials" \
      --secrets "$secrets" --out "$run_dir/$p/$s.req" >&2
  done
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# core_ticks N: "idle iowait steal total" of CPU N, from /proc/stat
core_ticks() { awk -v c="cpu$1" '$1 == c {t = 0; for (i = 2; i <= NF; i++) t += $i; print $5, $6, $9, t}' /proc/stat; }
hz="$(getconf CLK_TCK)"

# burst SERVER SECONDS [PIN]: prints "req/s cpu_us_per_request"
burst() {
  local s="$1" secs="$2" pin="${3:-$pinned}" t0 t1 c0 c1 out rps reqs
  local prefix=() wthreads=2
  if [ "$pin" = 1 ]; then
    taskset -a -p -c 1 "${pid[$s]}" >/dev/null
    prefix=(taskset -c 0); wthreads=1
  fi
  t0="$(ticks "${pid[$s]}")"; c0="$(core_ticks 1)"
  out="$("${prefix[@]}" wrk -t"$wthreads" -c"$conns" -d"${secs}s" --timeout 10s -s bench/replay.lua \
    "http://127.0.0.1:${port[$s]}/" -- "$run_dir/$pair/$s.req" "$wthreads" cycle 2>&1)" || die "wrk failed: $out"
  t1="$(ticks "${pid[$s]}")"; c1="$(core_ticks 1)"
  [ "$pin" = 1 ] && taskset -a -p -c 0-"$(($(nproc) - 1))" "${pid[$s]}" >/dev/null
  grep -q "socket_errors=0 wrk_status_errors=0" <<<"$out" || die "server $s: errors in a burst: $(grep BENCH <<<"$out")"
  rps="$(grep -o ' rps=[0-9.]*' <<<"$out" | cut -d= -f2)"
  reqs="$(grep -o ' requests=[0-9]*' <<<"$out" | cut -d= -f2)"
  awk -v r="$rps" -v n="$reqs" -v t=$((t1 - t0)) -v hz="$hz" -v c0="$c0" -v c1="$c1" 'BEGIN {
    split(c0, a, " "); split(c1, b, " ")
    printf "%.0f %.0f %.1f %.1f %.1f\n", r, t / hz * 1e6 / n, 100 * (b[1] - a[1]) / (b[4] - a[4]), 100 * (b[2] - a[2]) / (b[4] - a[4]), 100 * (b[3] - a[3]) / (b[4] - a[4])
  }'
}

: >"$run_dir/bursts.txt"
for pair in $(seq 1 "$pairs"); do
  log "pair $pair of $pairs: starting fresh servers"
  start_pair "$pair"
  # Unpinned, so the JIT's compiler threads have a core of their own: pinned, a fresh server on 2 slow cores was
  # still getting faster after a minute.
  log "warming up each server for ${warmup}s (in bursts, alternating, unpinned)"
  for _ in $(seq 1 $((warmup / 10))); do burst A 10 0 >/dev/null; burst B 10 0 >/dev/null; done

  log "$rounds rounds of ${burst}s bursts per server, alternating A B B A ...; pinned=$pinned"
  for i in $(seq 1 "$rounds"); do
    if [ $((i % 2)) = 1 ]; then order="A B"; else order="B A"; fi
    for s in $order; do
      line="$(burst "$s" "$burst")"
      echo "$pair $s $line" >>"$run_dir/bursts.txt"
      log "round $i $s: $(awk '{print $1 " req/s, " $2 " µs CPU per request, CPU 1 idle " $3 "%, iowait " $4 "%, steal " $5 "%"}' <<<"$line")"
    done
  done
  stop_all
done

summary="$(awk '
  # Columns: pair, server, req/s, µs CPU per request, idle %, iowait %, steal % (of CPU 1).
  { n[$2]++; rps[$2, n[$2]] = $3; cpu[$2, n[$2]] = $4; sum[$2] += $3; wait[$2] += $6
    k[$1, $2]++; prs[$1, $2, k[$1, $2]] = $3; if ($1 > np) np = $1 }
  function median(arr, s, k,   i, j, t, v) {
    for (i = 1; i <= k; i++) v[i] = arr[s, i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
  }
  END {
    ma = median(rps, "A", n["A"]); mb = median(rps, "B", n["B"])
    ca = median(cpu, "A", n["A"]); cb = median(cpu, "B", n["B"])
    # Each burst pair (A next to B in time) gives a ratio; their median is the least sensitive to drift.
    for (i = 1; i <= n["A"]; i++) pr[1, i] = rps["A", i] / rps["B", i]
    printf "A: median %.0f req/s, %.0f µs CPU per request, CPU 1 iowait %.1f%% | B: median %.0f req/s, %.0f µs CPU per request, CPU 1 iowait %.1f%% | A/B: %.1f%% (medians), %.1f%% (sums), %.1f%% (median of paired bursts)\n",
      ma, ca, wait["A"] / n["A"], mb, cb, wait["B"] / n["B"], 100 * ma / mb, 100 * sum["A"] / sum["B"], 100 * median(pr, 1, n["A"])
    if (np > 1) {
      # One figure per pair of servers (the median of its paired bursts), and their spread: what instances differ by.
      for (p = 1; p <= np; p++) {
        for (i = 1; i <= k[p, "A"]; i++) q[1, i] = prs[p, "A", i] / prs[p, "B", i]
        per[1, p] = median(q, 1, k[p, "A"]); line = line sprintf(" %.1f%%", 100 * per[1, p])
      }
      lo = per[1, 1]; hi = lo; for (p = 2; p <= np; p++) { if (per[1, p] < lo) lo = per[1, p]; if (per[1, p] > hi) hi = per[1, p] }
      printf "pairs of servers (A/B, median of paired bursts each):%s | median %.1f%%, range %.1f%%-%.1f%%\n", line, 100 * median(per, 1, np), 100 * lo, 100 * hi
    }
  }' "$run_dir/bursts.txt")"
log "$summary"
echo "$summary" >"$run_dir/summary.txt"
