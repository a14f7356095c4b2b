#!/usr/bin/env python3
"""Summarises a JFR recording made by `BENCH_PROFILE=1 bench/run.sh` (or any recording with CPU samples).

    bench/jfr-hotspots.py bench/target/run-*/get.jfr [--event jdk.CPUTimeSample] [--match dev.coffer,sqlite]

Prints, for the sampling event (jdk.CPUTimeSample if present, else jdk.ExecutionSample):
  - top frames (self time), and
  - inclusive share of every method whose name contains one of --match (default: Coffer's code and the
    libraries on the request path), i.e. the share of samples with that method anywhere on the stack;
and, for jdk.ThreadPark / jdk.JavaMonitorEnter / jdk.VirtualThreadPinned, where threads waited longest
(summed duration by the first frame outside java.util.concurrent / jdk.internal).
Needs the JDK's `jfr` tool (JAVA_HOME or /usr/lib/jvm/temurin-25-jdk-amd64).
"""
import argparse
import collections
import json
import os
import subprocess
import sys

DEFAULT_MATCH = ("dev.coffer,org.sqlite,com.zaxxer.hikari,ch.qos.logback,com.fasterxml.jackson.databind.ObjectMapper,"
                 "org.eclipse.jetty.http.HttpParser,org.eclipse.jetty.server.internal.HttpConnection,"
                 "sun.nio.ch.SocketDispatcher,javax.crypto,java.security.MessageDigest")
WAIT_EVENTS = ("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.VirtualThreadPinned")
PLUMBING = ("java.util.concurrent.", "jdk.internal.", "java.lang.VirtualThread", "java.lang.Thread.",
            "java.lang.Object.wait", "sun.nio.ch.", "java.lang.invoke.")


def jfr_tool():
    home = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
    return os.path.join(home, "bin", "jfr")


def events(path, name):
    out = subprocess.run([jfr_tool(), "print", "--json", "--stack-depth", "256", "--events", name, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(event):
    stack = event["values"].get("stackTrace") or {}
    return [(f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"])
            for f in (stack.get("frames") or [])]


def duration_ms(value):
    # jfr print --json renders durations like "PT0.012345S"
    if isinstance(value, (int, float)):
        return value / 1e6
    v = value.strip()
    if v.startswith("PT") and v.endswith("S"):
        body = v[2:-1]
        minutes = 0.0
        if "M" in body:
            m, body = body.split("M", 1)
            minutes = float(m)
        return (minutes * 60 + float(body or 0)) * 1000
    return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("recording")
    ap.add_argument("--event")
    ap.add_argument("--match", default=DEFAULT_MATCH)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()

    event = a.event
    if not event:
        event = "jdk.CPUTimeSample"
        if not events(a.recording, event):
            event = "jdk.ExecutionSample"
    samples = events(a.recording, event)
    n = len(samples)
    if n == 0:
        sys.exit(f"no {event} events in {a.recording}")
    self_counts, incl = collections.Counter(), collections.Counter()
    for e in samples:
        fs = frames(e)
        if fs:
            self_counts[fs[0]] += 1
        for m in set(fs):
            incl[m] += 1
    print(f"{event}: {n} samples")
    print("\n-- self (top frame)")
    for m, c in self_counts.most_common(a.top):
        print(f"{100 * c / n:5.1f}%  {m}")
    keys = a.match.split(",")
    print("\n-- inclusive (method anywhere on the stack), matching " + a.match)
    shown = 0
    for m, c in incl.most_common():
        if any(k in m for k in keys) and "$$Lambda" not in m and ".lambda$" not in m:
            print(f"{100 * c / n:5.1f}%  {m}")
            shown += 1
            if shown >= 3 * a.top:
                break

    for name in WAIT_EVENTS:
        evs = events(a.recording, name)
        if not evs:
            continue
        total = collections.Counter()
        count = collections.Counter()
        for e in evs:
            fs = frames(e)
            site = next((f for f in fs if not f.startswith(PLUMBING)), fs[0] if fs else "?")
            d = duration_ms(e["values"].get("duration", 0))
            total[site] += d
            count[site] += 1
        print(f"\n-- {name}: {len(evs)} events over the recording's threshold, summed wait by site")
        for site, ms in total.most_common(12):
            print(f"{ms:10.0f} ms  {count[site]:6d} x  {site}")


if __name__ == "__main__":
    main()
