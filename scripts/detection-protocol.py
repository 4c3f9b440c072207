#!/usr/bin/env python3
"""The detection development protocol (docs/detection.md): what ships, scored as it ships.

  scripts/detection-protocol.py dev     the shipped defaults on ../shared/data/nab-dev: the
                                        `alert` column as given (the headline) and the
                                        `anomaly_score` column swept (secondary)
  scripts/detection-protocol.py loo     leave one series out: each setting of a grid is scored on
                                        three dev files, the best is scored on the fourth
  scripts/detection-protocol.py extra   the shipped defaults on ../shared/data/nab-extra, per corpus
  scripts/detection-protocol.py noise   false alerts per week on seeded Poisson noise with a daily
                                        cycle (every alert is false there)
  scripts/detection-protocol.py inject  surges and fades of documented shapes injected into real quiet
                                        stretches of the dev files: recall and delay at the shipped
                                        settings (below)

The inject step. Positions: in each dev file, candidate starts every 7 hours from the end of the
warm-up (the first 4 days; 7 hours, so a week's candidates cover every hour of the day), kept when
the longest shape's window (24 h + 1 h, below) is at least 1 day from every labelled window, and the
un-injected file holds no alert of either direction from 1 day before the start (the refractory
time: an earlier surge alert would silence this one) to 12 hours after that window; 9 of those,
evenly spaced, per file. Every shape is injected at the same positions, one injection per copy of
the file, each copy cut at the end of its window (the detector is causal: later rows cannot change
its alerts there; the step checks that each copy's alerts before the start are the file's own).
The level L is the median of the file's own values over the 24 hours before the start, never below
5 posts per 5 minutes (a sparse series' surge is sized from that floor). Counts stay integers
(x.5 rounds up):
  spike xm               one 5-minute bucket gets round((m - 1) L) posts more; m = 2, 3, 5
  hour xm                12 buckets (1 hour) each get round((m - 1) L) more; m = 1.5, 2, 3
  build to xm over 24 h  288 buckets (24 hours): bucket k (1..288) gets round((m - 1) L k / 288)
                         more, then the real series resumes; m = 2, 3, 5
  outage: 0 for 1 h      12 buckets (1 hour) set to 0 (a collection stop)
  quarter for 6 h        72 buckets (6 hours) each keep a quarter of their count, round(value / 4)
An injection is found when the `alert` column, shipped settings, holds an alert of its direction
from the injected start to 1 hour after the shape's last bucket; the delay is the minutes from the
start to the first such alert (0: the first injected bucket alerted as it closed). `detect` does
not write an alert's direction, so two more runs tell it: with the other direction's return period
set to 10 million days that direction practically never alerts, while this direction's alerts
are unchanged (the two directions' tail models do not depend on the alert settings, and each
direction's once-a-day rule counts only its own alerts); an alert in both runs or in neither stops
the step. Wrong direction: copies with an alert of the other direction in that window.
To help read the recall, it also prints per file on how many days (24-hour stretches after the
warm-up) the un-injected file already holds a bucket (spike) or an hour's sum (hour) of at least
m x L, L from the 24 hours before that day; and the range, over the starts, of the largest bucket
from 21 days to 1 day before the start, in L (the novelty rule discounts a surge smaller than the
largest surprise of that span).

Every figure comes from the worker's own `detect` command and the benchmark's `nab_score.py`.
"""

import argparse
import collections
import csv
import datetime
import glob
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
SCORER = os.path.join(SHARED, "tools", "nab_score.py")
DEV = os.path.join(SHARED, "data", "nab-dev")
EXTRA = os.path.join(SHARED, "data", "nab-extra")
WORKER = os.path.join(ROOT, "src", "HazaraMonitor.Worker", "bin", "Release", "net10.0", "hazaramonitor.dll")
LABELS = os.path.join(DEV, "labels", "combined_windows.json")
NEEDS = {"dev": [SCORER, DEV], "loo": [SCORER, DEV], "extra": [SCORER, EXTRA], "noise": [], "inject": [DEV, LABELS]}
SETTINGS = None  # dev only: settings other than the shipped defaults, for a sensitivity check
CORPORA = ["realKnownCause", "realAWSCloudwatch", "realAdExchange", "realTraffic", "artificialWithAnomaly", "artificialNoAnomaly"]

# The leave-one-out grid: the settings that decide how often an alert is sent and at which scale.
GRID = [{"AlertReturnPeriod": period, "SurgeWindow": window}
        for period in ["1.00:00:00", "1.12:00:00", "2.00:00:00", "3.00:00:00", "7.00:00:00"]
        for window in ["00:30:00", "01:00:00", "02:00:00"]]


# The inject step (module docstring): positions, level, shapes. Rows are 5-minute buckets.
WARMUP_DAYS = 4
DAY = 24 * 12
INJECT_STRIDE = 7 * 12
INJECT_POSITIONS = 9
INJECT_FLOOR = 5
INJECT_TOLERANCE = 12
NEVER = "10000000.00:00:00"

# rows: how many buckets the shape changes; inject(k, value, level): the count of its k-th bucket
# (1-based); natural: for a shape that adds the same to every bucket, its multiple m, so the step
# can count how often the un-injected file already holds that much (None: not counted).
Shape = collections.namedtuple("Shape", "label direction rows inject natural")


def _raised(extra):
    """A surge: the real count plus extra(k, level) posts, rounded (x.5 up)."""
    return lambda k, value, level: value + int(extra(k, level) + 0.5)


SHAPES = (
    [Shape("spike x%g" % m, "surge", 1, _raised(lambda k, L, m=m: (m - 1) * L), m) for m in (2, 3, 5)]
    + [Shape("hour x%g" % m, "surge", 12, _raised(lambda k, L, m=m: (m - 1) * L), m) for m in (1.5, 2, 3)]
    + [Shape("build to x%g over 24 h" % m, "surge", DAY, _raised(lambda k, L, m=m: (m - 1) * L * k / DAY), None) for m in (2, 3, 5)]
    + [Shape("outage: 0 for 1 h", "fade", 12, lambda k, value, level: 0, None),
       Shape("quarter for 6 h", "fade", 72, lambda k, value, level: int(value / 4 + 0.5), None)])


def build():
    subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "HazaraMonitor.Worker"), "-c", "Release", "-v", "quiet", "-nologo"],
                   check=True, stdout=subprocess.DEVNULL)


def detect(inputs, output, settings=None):
    """Runs `detect` on a folder of CSVs; returns the output folder."""
    args = ["dotnet", WORKER, "detect", "--input", inputs, "--output", output]
    if settings:
        path = output.rstrip("/") + ".settings.json"
        with open(path, "w") as f:
            json.dump(settings, f)
        args += ["--settings", path]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return output


def alerts_only(folder, target):
    """The `alert` column as detect wrote it, alone (the scorer prefers anomaly_score when both are there)."""
    for path in glob.glob(os.path.join(folder, "**", "*.csv"), recursive=True):
        out = os.path.join(target, os.path.relpath(path, folder))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(path, newline="") as src, open(out, "w", newline="") as dst:
            writer = csv.writer(dst)
            writer.writerow(["timestamp", "alert"])
            for row in csv.DictReader(src):
                writer.writerow([row["timestamp"], row["alert"]])
    return target


def alert_rows(path):
    """The rows (0 = the first after the header) whose `alert` is 1 in a file detect wrote."""
    with open(path, newline="") as f:
        return {i for i, row in enumerate(csv.DictReader(f)) if row["alert"] == "1"}


def score(data_dir, detections, corpus=None, profile="standard"):
    """The scorer's JSON for one detector: {profile: detector result}."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = [sys.executable, SCORER, "--data-dir", data_dir, "--detections", detections, "--name", "hm", "--profile", profile, "--json", out.name]
        if corpus:
            args += ["--corpus", corpus]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out.name) as f:
            return json.load(f)["profiles"]


def normalised(profile, files=None):
    """The NAB score of detector `hm`, over all files or the named ones."""
    dets = profile["detectors"]
    pick = (lambda d: d["raw"]) if files is None else (lambda d: sum(d["per_file"][f]["raw"] for f in files))
    null, perfect, mine = pick(dets["null (all 0)"]), pick(dets["perfect (1 at window starts)"]), pick(dets["hm"])
    return None if perfect == null else 100.0 * (mine - null) / (perfect - null)


def line(label, profile, files=None):
    d = profile["detectors"]["hm"]
    if label.startswith("alerts as given") and d["threshold"] != 1:
        sys.exit("the scorer swept a threshold (%s) over what should be a 0/1 alert column" % d["threshold"])
    fs = files or list(d["per_file"])
    found = sum(d["per_file"][f]["detected"] for f in fs)
    windows = sum(d["per_file"][f]["windows"] for f in fs)
    fp = sum(d["per_file"][f]["fp_episodes"] for f in fs)
    value = normalised(profile, files)
    shown = "-" if value is None else "%.1f" % value
    print("%-44s %6s  windows %3d/%-3d  false-positive episodes %4d" % (label, shown, found, windows, fp))


def run_dev(work):
    out = detect(os.path.join(DEV, "data", "realTweets"), os.path.join(work, "dev"), SETTINGS)
    alerts = alerts_only(out, os.path.join(work, "dev-alerts"))
    profiles = score(DEV, alerts, profile="all")
    for name in ["standard", "reward_low_FP_rate", "reward_low_FN_rate"]:
        line("alerts as given, %s" % name, profiles[name])
    print()
    line("anomaly_score swept on these files, standard", score(DEV, out)["standard"])
    print()
    standard = profiles["standard"]
    for f in sorted(standard["detectors"]["hm"]["per_file"]):
        line("  alerts as given, %s" % f, standard, [f])
    # The scorer ignores each file's probation, its first 15% (at most 750 rows): the rest is scored.
    rows = []
    for path in sorted(glob.glob(os.path.join(out, "*.csv"))):
        with open(path, newline="") as f:
            rows.append(sum(1 for _ in csv.DictReader(f)))
    weeks = sum(n - min(750, int(0.15 * n)) for n in rows) * 5 / (60 * 24 * 7)
    fp = sum(d["fp_episodes"] for d in standard["detectors"]["hm"]["per_file"].values())
    print()
    print("false-positive episodes a series-week: %.2f (%d in %.1f series-weeks scored)" % (fp / weeks, fp, weeks))


def run_loo(work):
    profiles = []
    for k, settings in enumerate(GRID):
        print("\r[loo] setting %d of %d" % (k + 1, len(GRID)), end="", file=sys.stderr, flush=True)
        out = detect(os.path.join(DEV, "data", "realTweets"), os.path.join(work, "grid%d" % k), settings)
        profiles.append(score(DEV, alerts_only(out, os.path.join(work, "grid%d-alerts" % k)))["standard"])
    print(file=sys.stderr)
    files = sorted(profiles[0]["detectors"]["hm"]["per_file"])
    worst, held_scores = None, []
    for held in files:
        rest = [f for f in files if f != held]
        best = max(range(len(GRID)), key=lambda k: (normalised(profiles[k], rest), -k))
        held_score = normalised(profiles[best], [held])
        worst = held_score if worst is None else min(worst, held_score)
        held_scores.append(held_score)
        print("held out %-5s chosen on the other three: %-56s (%.1f there)  held-out file %.1f"
              % (held, json.dumps(GRID[best]), normalised(profiles[best], rest), held_score))
    print("worst held-out file: %.1f, mean %.1f" % (worst, sum(held_scores) / len(held_scores)))


def run_extra(work):
    out = os.path.join(work, "extra")
    for corpus in CORPORA:
        detect(os.path.join(EXTRA, "data", corpus), os.path.join(out, corpus))
    alerts = alerts_only(out, os.path.join(work, "extra-alerts"))
    for corpus in CORPORA[:-1] + ["non-tweets"]:
        line("alerts as given, %s" % corpus, score(EXTRA, alerts, corpus)["standard"])
    fp = score(EXTRA, alerts, "artificialNoAnomaly")["standard"]["detectors"]["hm"]["fp_rows"]
    print("alerts as given, artificialNoAnomaly: %d false-positive rows" % fp)
    print()
    line("anomaly_score swept, non-tweets", score(EXTRA, out, "non-tweets")["standard"])


def run_noise(work):
    """Every alert on noise is false: the shipped rate of false alerts, with nothing to find."""
    days, seeds = 56, 5
    folder = os.path.join(work, "noise")
    os.makedirs(folder)
    start = datetime.datetime(2022, 9, 1)
    for seed in range(1, seeds + 1):
        rng = random.Random(seed)
        with open(os.path.join(folder, "noise-%d.csv" % seed), "w") as f:
            f.write("timestamp,value\n")
            for i in range(days * 288):
                # 20 to 60 posts per 5 minutes over the day, Poisson counts (Knuth's method).
                mean = 40 + 20 * math.sin(2 * math.pi * (i % 288) / 288)
                limit, k, p = math.exp(-mean), 0, rng.random()
                while p > limit:
                    k, p = k + 1, p * rng.random()
                f.write("%s,%d\n" % ((start + datetime.timedelta(minutes=5 * i)).strftime("%Y-%m-%d %H:%M:%S"), k))
    out = detect(folder, os.path.join(work, "noise-out"))
    weeks = (days - WARMUP_DAYS) / 7.0
    rates = []
    for path in sorted(glob.glob(os.path.join(out, "*.csv"))):
        alerts = len(alert_rows(path))
        rates.append(alerts / weeks)
        print("%-12s %3d false alerts in %.1f weeks: %.1f a week" % (os.path.basename(path), alerts, weeks, alerts / weeks))
    print("false alerts a week on noise: %.1f to %.1f, mean %.1f" % (min(rates), max(rates), sum(rates) / len(rates)))


def quiet_starts(times, alerts, windows, span):
    """The injection starts of one file (module docstring): quiet for `span` rows and around them."""
    day = datetime.timedelta(days=1)
    starts = []
    for s in range(WARMUP_DAYS * DAY, len(times) - span - DAY // 2, INJECT_STRIDE):
        end = s + span
        if any(a - day <= times[end - 1] and times[s] <= b + day for a, b in windows):
            continue
        if any(s - DAY <= r < end + DAY // 2 for r in alerts):
            continue
        starts.append(s)
    if len(starts) < INJECT_POSITIONS:
        sys.exit("only %d quiet stretches, %d needed" % (len(starts), INJECT_POSITIONS))
    return [starts[round(j * (len(starts) - 1) / (INJECT_POSITIONS - 1))] for j in range(INJECT_POSITIONS)], len(starts)


def days_holding(values, shape):
    """On how many days after the warm-up the series itself holds what `shape` adds: "held/days"."""
    levels = {d: max(INJECT_FLOOR, statistics.median(values[d * DAY - DAY:d * DAY])) for d in range(WARMUP_DAYS, len(values) // DAY)}
    sums = [sum(values[max(0, i - shape.rows + 1):i + 1]) for i in range(len(values))]
    held = sum(any(sums[i] >= shape.natural * level * shape.rows for i in range(d * DAY, d * DAY + DAY)) for d, level in levels.items())
    return "%d/%d" % (held, len(levels))


def run_inject(work):
    """Surges and fades of documented shapes injected into quiet stretches: recall and delay as shipped."""
    clock = time.monotonic()
    source = os.path.join(DEV, "data", "realTweets")
    base = detect(source, os.path.join(work, "base"))
    with open(LABELS) as f:
        labels = json.load(f)
    folder = os.path.join(work, "inject")
    os.makedirs(folder)
    span = max(shape.rows for shape in SHAPES) + INJECT_TOLERANCE
    injections, natural, notes = [], {}, []
    for path in sorted(glob.glob(os.path.join(source, "*.csv"))):
        name = os.path.basename(path)
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        times = [datetime.datetime.fromisoformat(r["timestamp"]) for r in rows]
        values = [int(r["value"]) for r in rows]
        windows = [(datetime.datetime.fromisoformat(a), datetime.datetime.fromisoformat(b)) for a, b in labels["realTweets/" + name]]
        alerts = alert_rows(os.path.join(base, name))
        starts, candidates = quiet_starts(times, alerts, windows, span)
        levels, largest = [], []
        for p, start in enumerate(starts):
            level = max(INJECT_FLOOR, statistics.median(values[start - DAY:start]))
            levels.append(level)
            # What the novelty rule compares a surge with: the largest of the HistoryBlocks (21) days
            # before the refractory day, here as the largest bucket in L.
            largest.append(max(values[max(0, start - 21 * DAY):start - DAY]) / level)
            for k, shape in enumerate(SHAPES):
                end = start + shape.rows + INJECT_TOLERANCE
                copy = "%s-at%d-shape%02d.csv" % (name[:-4], p, k)
                with open(os.path.join(folder, copy), "w") as out:
                    out.write("timestamp,value\n")
                    for i in range(end):
                        value = shape.inject(i - start + 1, values[i], level) if start <= i < start + shape.rows else values[i]
                        out.write("%s,%d\n" % (rows[i]["timestamp"], value))
                injections.append({"file": name, "copy": copy, "shape": k, "start": start, "times": times,
                                   "before": {r for r in alerts if r < start}})
        for k, shape in enumerate(SHAPES):
            if shape.natural is not None:
                natural[k, name] = days_holding(values, shape)
        hours = " ".join("%02d" % times[s].hour for s in starts)
        notes.append("%-28s %d positions of %d quiet candidates; level L %g-%g per 5 min; largest bucket 21 to 1 days before"
                     " %.0f-%.0f L; start hours (UTC) %s"
                     % (name, len(starts), candidates, min(levels), max(levels), min(largest), max(largest), hours))
    print("[inject] %d copies written; detect with the shipped settings, then each direction alone" % len(injections), file=sys.stderr, flush=True)
    shipped = detect(folder, os.path.join(work, "shipped"))
    surges = detect(folder, os.path.join(work, "surges-only"), {"DipAlertReturnPeriod": NEVER})
    fades = detect(folder, os.path.join(work, "fades-only"), {"AlertReturnPeriod": NEVER})
    print("[inject] detect done (%.0f s); reading the alerts" % (time.monotonic() - clock), file=sys.stderr, flush=True)

    results = collections.defaultdict(list)
    for inj in injections:
        got = alert_rows(os.path.join(shipped, inj["copy"]))
        if {r for r in got if r < inj["start"]} != inj["before"]:
            sys.exit("%s: alerts before the injection differ from the un-injected file's" % inj["copy"])
        surge, fade = alert_rows(os.path.join(surges, inj["copy"])), alert_rows(os.path.join(fades, inj["copy"]))
        right, wrong = [], []
        for r in sorted(got):
            if r < inj["start"]:
                continue
            if (r in surge) == (r in fade):
                sys.exit("%s row %d: the direction of the alert is not told apart" % (inj["copy"], r))
            (right if ("surge" if r in surge else "fade") == SHAPES[inj["shape"]].direction else wrong).append(r)
        delay = (inj["times"][right[0]] - inj["times"][inj["start"]]).total_seconds() / 60 if right else None
        results[inj["shape"]].append((inj["file"], delay, bool(wrong)))

    print("%-24s %5s %10s %6s %7s %13s %10s %16s"
          % ("shape", "dir", "injections", "found", "recall", "median delay", "max delay", "wrong direction"))
    for k, shape in enumerate(SHAPES):
        delays = [d for _, d, _ in results[k] if d is not None]
        print("%-24s %5s %10d %6d %6.0f%% %13s %10s %16d"
              % (shape.label, shape.direction, len(results[k]), len(delays), 100.0 * len(delays) / len(results[k]),
                 "%g min" % statistics.median(delays) if delays else "-", "%g min" % max(delays) if delays else "-",
                 sum(w for _, _, w in results[k])))
    files = sorted({f for f, _, _ in results[0]})
    print()
    print("%-24s %s   the un-injected file already holds it (days)" % ("found per file", " ".join("%-6s" % f[:-4].split("_")[-1] for f in files)))
    for k, shape in enumerate(SHAPES):
        found = ["%d/%d" % (sum(d is not None for g, d, _ in results[k] if g == f), sum(g == f for g, _, _ in results[k])) for f in files]
        print("%-24s %s   %s" % (shape.label, " ".join("%-6s" % x for x in found), " ".join("%-6s" % natural.get((k, f), "-") for f in files)))
    print()
    for note in notes:
        print(note)
    print("[inject] %.0f s" % (time.monotonic() - clock), file=sys.stderr)


def main():
    global WORKER, SETTINGS
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=sorted(NEEDS))
    parser.add_argument("--no-build", action="store_true", help="use the worker as last built")
    parser.add_argument("--worker", default=WORKER, help="the worker's hazaramonitor.dll (default: the Release build)")
    parser.add_argument("--settings", type=json.loads, help="dev only: detector settings overriding the defaults, as JSON, e.g. '{\"AlertBudget\": 4}'")
    args = parser.parse_args()
    for path in NEEDS[args.step]:
        if not os.path.exists(path):
            parser.error("%s is missing (../shared must be beside the repository)" % path)
    WORKER = args.worker
    if args.settings is not None:
        if args.step != "dev":
            parser.error("--settings applies to the dev step only: every other step scores the shipped defaults")
        SETTINGS = args.settings
    if not args.no_build:
        build()
    with tempfile.TemporaryDirectory(prefix="hm-protocol-") as work:
        {"dev": run_dev, "loo": run_loo, "extra": run_extra, "noise": run_noise, "inject": run_inject}[args.step](work)


if __name__ == "__main__":
    main()
