#!/usr/bin/env bash
# The benchmarks. Starts a dedicated Redis (append-only, fsync every second, as in production) on
# 127.0.0.1:16380, runs the benchmark in Release, and stops Redis.
#   scripts/bench.sh [--posts 400000] [--naive-posts 20000] [--streams 4]   ingest: X pages -> Redis
#   scripts/bench.sh jetstream [--noise-per-minute 3000]                      Jetstream consumer
#   scripts/bench.sh detection [--minutes 20]                                 live detection per minute
#   scripts/bench.sh cost [--hours 24]                                         what a surge day costs on X
#   scripts/bench.sh soak [--minutes 10]                                       two workers under a surge
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
  jetstream|detection|cost|soak) mode=$1; shift ;;
esac

dir=$(mktemp -d)
pids=()
# Stops what this script started: its children (killed if not gone within 10 s: one left running
# would keep this script's lock and ports), then what they use (the soak's PostgreSQL, Redis).
stop_children() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  pids=()
}
stop_postgres() { :; }
cleanup() {
  stop_children
  stop_postgres
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

if [ "$mode" = soak ]; then
  minutes=$(option_value --minutes 10 "$@")
  add_postgres_to_path
  ensure_command initdb postgresql
  for project in src/HazaraMonitor.Simulator src/HazaraMonitor.Worker; do
    dotnet build "$project" -c Release -v quiet -nologo >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; exit 1; }
  done
  sim=http://127.0.0.1:5093
  # A surge from the start that stays high for the whole run, on every platform, no injected faults.
  dotnet src/HazaraMonitor.Simulator/bin/Release/net10.0/hazaramonitor-simulator.dll --urls "$sim" \
    --StartOffset 00:00:00 --Duration "$(printf '%02d:00:00' $(( minutes / 60 + 1 )))" --BaselinePerMinute 100 --SurgeAtMinute 0 \
    --SurgePeakPerMinute 600 --SurgeHalfLifeMinutes 600 --ForcedFaults false --RateLimitedShare 0 --MalformedShare 0 \
    --RequestsPerWindow 100000 --Bluesky:JetstreamFaultShare 0 --Logging:LogLevel:Default=Warning >"$dir/simulator.log" 2>&1 &
  pids+=($!)
  wait_for_http "$sim/" 30
  # The workers' shared schedule: a throw-away PostgreSQL (as the postgres user when root).
  mkdir -p "$dir/pg"
  as_postgres=()
  if [ "$(id -u)" -eq 0 ]; then chmod 755 "$dir"; chown -R postgres:postgres "$dir/pg"; as_postgres=(runuser -u postgres --); fi
  "${as_postgres[@]}" initdb -D "$dir/pg/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  "${as_postgres[@]}" pg_ctl -D "$dir/pg/data" -w -l "$dir/pg/log" -o "-p 16391 -c listen_addresses=127.0.0.1 -k $dir/pg -c fsync=off" start >/dev/null
  stop_postgres() { "${as_postgres[@]}" pg_ctl -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true; }
  export_simulator_settings "$sim"
  export HazaraMonitor__Redis__Configuration=127.0.0.1:16380 HazaraMonitor__Redis__KeyPrefix="soak$$"
  export HazaraMonitor__Scheduler__PostgreSql="Host=127.0.0.1;Port=16391;Username=postgres;Database=postgres"
  export HazaraMonitor__Platforms__X__Schedule="0/10 * * * * ?" HazaraMonitor__Platforms__Mastodon__Schedule="3/10 * * * * ?"
  export HazaraMonitor__Platforms__Reddit__Schedule="6/10 * * * * ?" HazaraMonitor__Platforms__X__InitialLookback=00:05:00
  export Logging__LogLevel__Default=Warning
  workers=() worker_pids=()
  for port in 5094 5095; do
    dotnet src/HazaraMonitor.Worker/bin/Release/net10.0/hazaramonitor.dll --urls "http://127.0.0.1:$port" >"$dir/worker-$port.log" 2>&1 &
    pids+=($!) worker_pids+=($!) workers+=("http://127.0.0.1:$port")
  done
  for url in "${workers[@]}"; do wait_for_http "$url/healthz" 60 || true; done
  status=0
  dotnet "$bench" --soak-minutes "$minutes" --soak-simulator "$sim" \
    --soak-workers "$(IFS=,; echo "${workers[*]}")" --soak-pids "$(IFS=,; echo "${worker_pids[*]}")" || status=$?
  exit "$status"
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
