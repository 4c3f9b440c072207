#!/usr/bin/env python3
"""The detection development protocol (docs/detection.md): what ships, scored as it ships.

  scripts/detection-protocol.py dev     the shipped defaults on ../shared/data/nab-dev: the
                                        `alert` column as given (the headline) and the
                                        `anomaly_score` column swept (secondary)
  scripts/detection-protocol.py loo     leave one series out: each setting of a grid is scored on
                                        three dev files, the best is scored on the fourth
  scripts/detection-protocol.py extra   the shipped defaults on ../shared/data/nab-extra, per corpus

Every figure comes from the worker's own `detect` command and the benchmark's `nab_score.py`.
"""

import argparse
import csv
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
SCORER = os.path.join(SHARED, "tools", "nab_score.py")
DEV = os.path.join(SHARED, "data", "nab-dev")
EXTRA = os.path.join(SHARED, "data", "nab-extra")
WORKER = os.path.join(ROOT, "src", "HazaraMonitor.Worker", "bin", "Release", "net10.0", "hazaramonitor.dll")
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
    for name in ["standard", "reward_low_FP_rate", "reward_low_FN_rate"]:
        line("alerts as given, %s" % name, score(DEV, alerts, profile=name)[name])
    print()
    line("anomaly_score swept on these files, standard", score(DEV, out)["standard"])
    per = score(DEV, alerts)["standard"]["detectors"]["hm"]["per_file"]
    print()
    for f in sorted(per):
        line("  alerts as given, %s" % f, score(DEV, alerts)["standard"], [f])


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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["dev", "loo", "extra"])
    parser.add_argument("--no-build", action="store_true", help="use the worker as last built")
    args = parser.parse_args()
    for path, what in [(SCORER, "the scorer"), (DEV, "nab-dev"), (EXTRA, "nab-extra")]:
        if not os.path.exists(path):
            parser.error("%s is missing: %s (../shared must be beside the repository)" % (what, path))
    if not args.no_build:
        build()
    with tempfile.TemporaryDirectory(prefix="hm-protocol-") as work:
        {"dev": run_dev, "loo": run_loo, "extra": run_extra}[args.step](work)


if __name__ == "__main__":
    main()
