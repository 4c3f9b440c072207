#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against a real redis-server on 127.0.0.1:16379
# (the tests start it from tests/redis/redis-test.conf when nothing answers there), the platform
# simulator over real HTTP, promtool and a real Prometheus on the deploy/ files and live metrics, and
# the campaign page in a headless Chromium. Extra arguments go to `dotnet test` (e.g. --filter Category=...).
# Ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_dotnet
ensure_command redis-server redis-server
ensure_command promtool prometheus
ensure_command python3 python3
ensure_command redis-cli redis-tools
# The build installs the campaign page's chart library with npm; its browser test runs Debian's chromium.
ensure_command npm npm
ensure_command chromium chromium
# The clustered-schedule tests start a throw-away PostgreSQL (initdb, pg_ctl).
add_postgres_to_path
ensure_command initdb postgresql

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

dotnet test HazaraMonitor.sln -c Release --logger trx --results-directory "$results" "$@"
status=$?

# The .NET runner prints one summary per test assembly; sum the TRX counters into one line.
passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The build or the runner itself failed: say so rather than report a clean run.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
