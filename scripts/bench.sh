#!/usr/bin/env bash
# The ingest benchmark: starts a dedicated Redis (append-only, fsync every second, as in production)
# on 127.0.0.1:16380, runs the benchmark in Release, and stops Redis. Arguments go to the benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_dotnet
ensure_command redis-server redis-server

dir=$(mktemp -d)
redis-server --bind 127.0.0.1 --port 16380 --dir "$dir" --appendonly yes --appendfsync everysec --save "" \
  --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
trap 'redis-cli -p 16380 shutdown nosave >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 40); do redis-cli -p 16380 ping >/dev/null 2>&1 && break; sleep 0.25; done

dotnet run --project bench/HazaraMonitor.Benchmarks -c Release -- --redis 127.0.0.1:16380 "$@"
