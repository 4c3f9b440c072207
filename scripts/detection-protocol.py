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

Every figure comes from the worker's own `detect` command and the benchmark's `nab_score.py`.
"""

import argparse
import csv
import datetime
import glob
import json
import math
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
SCORER = os.path.join(SHARED, "tools", "nab_score.py")
DEV = os.path.join(SHARED, "data", "nab-dev")
EXTRA = os.path.join(SHARED, "data", "nab-extra")
WORKER = os.path.join(ROOT, "src", "HazaraMonitor.Worker", "bin", "Release", "net10.0", "hazaramonitor.dll")
NEEDS = {"dev": [SCORER, DEV], "loo": [SCORER, DEV], "extra": [SCORER, EXTRA], "noise": []}
CORPORA = ["realKnownCause", "realAWSCloudwatch", "realAdExchange", "realTraffic", "artificialWithAnomaly", "artificialNoAnomaly"]

# The leave-one-out grid: the settings that decide how often an alert is sent and at which scale.
GRID = [{"AlertReturnPeriod": period, "SurgeWindow": window}
        for period in ["1.00:00:00", "1.12:00:00", "2.00:00:00", "3.00:00:00", "7.00:00:00"]
        for window in ["00:30:00", "01:00:00", "02:00:00"]]


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
    out = detect(os.path.join(DEV, "data", "realTweets"), os.path.join(work, "dev"))
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


def run_loo(work):
    profiles = []
    for k, settings in enumerate(GRID):
        print("\r[loo] setting %d of %d" % (k + 1, len(GRID)), end="", file=sys.stderr, flush=True)
        out = detect(os.path.join(DEV, "data", "realTweets"), os.path.join(work, "grid%d" % k), settings)
        profiles.append(score(DEV, alerts_only(out, os.path.join(work, "grid%d-alerts" % k)))["standard"])
    print(file=sys.stderr)
    files = sorted(profiles[0]["detectors"]["hm"]["per_file"])
    worst = None
    for held in files:
        rest = [f for f in files if f != held]
        best = max(range(len(GRID)), key=lambda k: (normalised(profiles[k], rest), -k))
        held_score = normalised(profiles[best], [held])
        worst = held_score if worst is None else min(worst, held_score)
        print("held out %-5s chosen on the other three: %-56s (%.1f there)  held-out file %.1f"
              % (held, json.dumps(GRID[best]), normalised(profiles[best], rest), held_score))
    print("worst held-out file: %.1f" % worst)


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
    days, seeds, warmup_days = 56, 5, 4
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
    weeks = (days - warmup_days) / 7.0
    rates = []
    for path in sorted(glob.glob(os.path.join(out, "*.csv"))):
        with open(path, newline="") as f:
            alerts = sum(int(r["alert"]) for r in csv.DictReader(f))
        rates.append(alerts / weeks)
        print("%-12s %3d false alerts in %.1f weeks: %.1f a week" % (os.path.basename(path), alerts, weeks, alerts / weeks))
    print("false alerts a week on noise: %.1f to %.1f, mean %.1f" % (min(rates), max(rates), sum(rates) / len(rates)))


def main():
    global WORKER
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=sorted(NEEDS))
    parser.add_argument("--no-build", action="store_true", help="use the worker as last built")
    parser.add_argument("--worker", default=WORKER, help="the worker's hazaramonitor.dll (default: the Release build)")
    args = parser.parse_args()
    for path in NEEDS[args.step]:
        if not os.path.exists(path):
            parser.error("%s is missing (../shared must be beside the repository)" % path)
    WORKER = args.worker
    if not args.no_build:
        build()
    with tempfile.TemporaryDirectory(prefix="hm-protocol-") as work:
        {"dev": run_dev, "loo": run_loo, "extra": run_extra, "noise": run_noise}[args.step](work)


if __name__ == "__main__":
    main()
