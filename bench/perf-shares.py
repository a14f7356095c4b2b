#!/usr/bin/env python3
"""Where a Coffer server's CPU went, from a `perf record -g` of it (bench/run.sh with BENCH_PROFILE=perf).

    bench/perf-shares.py bench/target/run-*/get-pinned.perf.data [FRAME ...]

Prints the share of samples per thread, then, for each frame name given (default: the parts of the durable audit
trail, and the kernel's TCP send path for comparison), the share of samples whose stack holds a frame containing it.
A sample counts for every name its stack holds, so the shares of nested parts overlap. Java frames are named from
the perf map the run wrote (`jcmd <pid> Compiler.perfmap`, /tmp/perf-<pid>.map); without it they are addresses.
Multiply a share by the run's CPU per request (its .bench line: server_ticks / hz / requests) for seconds per request.
"""
import collections
import signal
import subprocess
import sys

# The durable audit trail's parts (BENCHMARKS.md, "What a trail-on Get pays for").
TRAIL = [
    "fsync", "libsqlitejdbc", "AuditBatch.encode", "pwrite", "AuditChain.append", "AlertEngine", "AuditIndexer",
    "AuditLog.record", "CloudTrailEvent.toJson", "tcp_sendmsg",
]


def samples(perf_data):
    """(thread name, [frames, leaf first]) per sample, read from `perf script`."""
    text = subprocess.run(["perf", "script", "-i", perf_data], check=True, capture_output=True, text=True).stdout
    current = None
    for line in text.splitlines():
        if not line.strip():
            if current:
                yield current
            current = None
        elif not line[0].isspace():
            current = (line.split()[0], [])
        elif current is not None:
            parts = line.strip().split(None, 1)  # "address symbol+offset (dso)"
            current[1].append(parts[-1])
    if current:
        yield current


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # piped into head: stop quietly
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    frames = sys.argv[2:] or TRAIL
    all_samples = list(samples(sys.argv[1]))
    total = len(all_samples)
    if total == 0:
        sys.exit("no samples in " + sys.argv[1])
    print(f"{total} samples")
    threads = collections.Counter(name for name, _ in all_samples)
    for name, n in threads.most_common(10):
        print(f"  thread {name:24s} {100 * n / total:5.1f}%")
    for frame in frames:
        n = sum(1 for _, stack in all_samples if any(frame in f for f in stack))
        print(f"  {frame:32s} {100 * n / total:5.1f}%")


if __name__ == "__main__":
    main()
