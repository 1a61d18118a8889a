#!/usr/bin/env python3
"""Same-run ratio table: conv4j bench CSVs (./conv4j bench --csv) beside peer tables (../shared/bench/peers/run.sh).

usage: peer_ratios.py --peers before.txt [after.txt ...] --conv4j bench-1.csv [bench-all.csv ...] [--backends a,b]

Each peer's time is the faster of its runs (the peer harness ran before and after conv4j); "best NCHW" is the
faster of torch and dnnl_nchw. Ratios are peer time / conv4j time (above 1: conv4j faster). Prints markdown.
"""
import argparse
import csv
import sys


def read_peers(paths):
    best = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) != 5 or parts[0] == "case":
                    continue
                try:
                    key = (parts[0], parts[1], int(parts[2]))
                    ms = float(parts[3])
                except ValueError:
                    continue
                best[key] = min(ms, best.get(key, ms))
    return best


def read_conv4j(paths):
    rows = {}
    for path in paths:
        with open(path) as f:
            for r in csv.DictReader(f):
                rows[(r["case"], r["backend"], int(r["threads"]))] = float(r["ms"])
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", nargs="+", required=True)
    ap.add_argument("--conv4j", nargs="+", required=True)
    ap.add_argument("--backends", default="native")
    a = ap.parse_args()
    peers, ours = read_peers(a.peers), read_conv4j(a.conv4j)
    backends = a.backends.split(",")
    cases = sorted({(c, t) for (c, _, t) in ours}, key=lambda ct: (ct[1], ct[0]))
    head = ["case", "thr"] + [b + " ms" for b in backends] + ["torch", "dnnl_nchw", "dnnl_blocked"]
    head += [b + " / best NCHW" for b in backends] + [b + " / blocked" for b in backends]
    print("| " + " | ".join(head) + " |")
    print("| " + " | ".join(["---"] * 2 + ["---:"] * (len(head) - 2)) + " |")
    for c, t in cases:
        mine = [ours.get((c, b, t)) for b in backends]
        torch, nchw, blocked = (peers.get((c, p, t)) for p in ("torch", "dnnl_nchw", "dnnl_blocked"))
        best = min(v for v in (torch, nchw) if v is not None) if (torch or nchw) else None
        fmt = lambda v: "" if v is None else ("%.4g" % v)
        ratio = lambda p, m: "" if p is None or m is None else "%.2f" % (p / m)
        cells = [c, str(t)] + [fmt(m) for m in mine] + [fmt(torch), fmt(nchw), fmt(blocked)]
        cells += [ratio(best, m) for m in mine] + [ratio(blocked, m) for m in mine]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
