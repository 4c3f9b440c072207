#!/usr/bin/env bash
# The benchmarks. Starts a dedicated Redis (append-only, fsync every second, as in production) on
# 127.0.0.1:16380, runs the benchmark in Release, and stops Redis.
#   scripts/bench.sh [--posts 400000] [--naive-posts 20000] [--streams 4]   ingest: X pages -> Redis
#   scripts/bench.sh jetstream [--noise-per-minute 3000]                      Jetstream consumer
#   scripts/bench.sh detection [--minutes 20]                                 live detection per minute
#   scripts/bench.sh cost [--hours 24]                                         what a surge day costs on X
# The Jetstream benchmark replays a simulated hour of Bluesky from the simulator, started here as its
# own process so the benchmark's CPU time is the consumer's alone.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_dotnet
ensure_command redis-server redis-server
ensure_command curl curl

mode=ingest
case "${1:-}" in
  jetstream|detection|cost) mode=$1; shift ;;
esac

dir=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  redis-cli -p 16380 shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
redis-server --bind 127.0.0.1 --port 16380 --dir "$dir" --appendonly yes --appendfsync everysec --save "" \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
for _ in $(seq 1 40); do redis-cli -p 16380 ping >/dev/null 2>&1 && break; sleep 0.25; done

dotnet build bench/HazaraMonitor.Benchmarks -c Release -v quiet -nologo >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
bench=bench/HazaraMonitor.Benchmarks/bin/Release/net10.0/HazaraMonitor.Benchmarks.dll

if [ "$mode" = ingest ]; then
  dotnet "$bench" --redis 127.0.0.1:16380 "$@"
  exit
fi

# The one option each of the other modes takes: option_value NAME DEFAULT "$@" prints its value.
option_value() {
  local name=$1 value=$2
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      "$name") value=$2; shift 2 ;;
      *) echo "unknown argument $1 (this mode takes $name)" >&2; return 2 ;;
    esac
  done
  echo "$value"
}

if [ "$mode" = detection ]; then
  minutes=$(option_value --minutes 20 "$@")
  dotnet "$bench" --redis 127.0.0.1:16380 --detection-minutes "$minutes"
  exit
fi

if [ "$mode" = cost ]; then
  hours=$(option_value --hours 24 "$@")
  dotnet "$bench" --redis 127.0.0.1:16380 --cost-hours "$hours"
  exit
fi

noise=$(option_value --noise-per-minute 3000 "$@")
dotnet build src/HazaraMonitor.Simulator -c Release -v quiet -nologo >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
sim=http://127.0.0.1:5091
# A finished hour two hours ago: replayed from its start as fast as the socket carries it, no faults.
dotnet src/HazaraMonitor.Simulator/bin/Release/net10.0/hazaramonitor-simulator.dll --urls "$sim" \
  --StartOffset -02:00:00 --Duration 01:00:00 --ForcedFaults false --Bluesky:JetstreamFaultShare 0 --OverlapShare 0 \
  --Bluesky:NoisePerMinute "$noise" --BaselinePerMinute 20 --SurgeAtMinute 20 --SurgePeakPerMinute 300 \
  --Logging:LogLevel:Default=Warning >"$dir/simulator.log" 2>&1 &
pids+=($!)
wait_for_http "$sim/" 30
dotnet "$bench" --redis 127.0.0.1:16380 --jetstream "$sim"
