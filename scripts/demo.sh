#!/usr/bin/env bash
# The offline demo: a local Redis with append-only persistence under .data/, the platform
# simulator, and the worker polling it. Ctrl-C stops all three; the counts stay in .data/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

REDIS_PORT=${REDIS_PORT:-6390}
SIM_URL=${SIM_URL:-http://127.0.0.1:5081}
WORKER_URL=${WORKER_URL:-http://127.0.0.1:5080}

ensure_dotnet
ensure_command redis-server redis-server
ensure_command curl curl
# The build installs the campaign page's chart library from npm (once; later builds need no network).
ensure_command npm npm

mkdir -p .data/redis
echo "[demo] building the worker and the simulator (Release)"
for project in src/HazaraMonitor.Worker src/HazaraMonitor.Simulator; do
  dotnet build "$project" -c Release -v quiet -nologo >.data/build.log 2>&1 || { cat .data/build.log >&2; exit 1; }
done

if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  echo "[demo] starting Redis on 127.0.0.1:$REDIS_PORT (append-only files in .data/redis)"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$PWD/.data/redis" \
    --appendonly yes --appendfsync everysec --save "" \
    --daemonize yes --pidfile "$PWD/.data/redis/redis.pid" --logfile "$PWD/.data/redis/redis.log"
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -f .data/redis/redis.pid ]; then redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT INT TERM

echo "[demo] starting the platform simulator on $SIM_URL"
# Two quiet hours of history, then a surge four minutes after the start (the timeline starts 120
# minutes back), so the demo can watch detection raise an alert live.
# Its YouTube project gets a demo-sized daily quota: a real one's 10,000 units pay for one search
# page every quarter of an hour, and the demo polls every 10 seconds. TikTok's daily quota (1,000
# requests, 100,000 videos) would not last an hour of such polls either: the demo raises it on both
# sides; the shipped schedule polls TikTok hourly. Its Instagram and Threads allow more than Meta
# does (200 calls an hour, 2,200 searches a day), so the demo can poll them every 30 seconds; the
# worker is told the same of Threads below.
dotnet src/HazaraMonitor.Simulator/bin/Release/net10.0/hazaramonitor-simulator.dll --urls "$SIM_URL" --SurgeAtMinute 124 \
  --YouTube:DailyQuotaUnits 2000000 --TikTok:DailyRequestLimit 1000000 --TikTok:DailyRecordLimit 100000000 \
  --Instagram:CallsPerHour 50000 --Threads:QueriesPerDay 100000 \
  >.data/simulator.log 2>&1 &
pids+=($!)
wait_for_http "$SIM_URL/" 30

export_simulator_settings "$SIM_URL"
# The simulator's synthetic counter-campaign, counted beside the campaign (share of voice on its page).
export HazaraMonitor__Campaigns__0__CounterHashtags__0="CounterNarrative"
export HazaraMonitor__Platforms__X__Schedule="0/10 * * * * ?"
export HazaraMonitor__Platforms__Mastodon__Schedule="5/10 * * * * ?"
export HazaraMonitor__Platforms__Reddit__Schedule="7/10 * * * * ?"
export HazaraMonitor__Platforms__YouTube__Schedule="9/10 * * * * ?" HazaraMonitor__Platforms__YouTube__DailyQuotaUnits=2000000
export HazaraMonitor__Platforms__TikTok__Schedule="3/10 * * * * ?"
export HazaraMonitor__Platforms__TikTok__DailyRequestLimit=1000000 HazaraMonitor__Platforms__TikTok__DailyRecordLimit=100000000
# The simulator's injected 429s last 2 s; TikTok's own say nothing, so the worker waits a minute by default.
export HazaraMonitor__Platforms__TikTok__RateLimitBackoff=00:00:02
export HazaraMonitor__Platforms__Instagram__Schedule="12/30 * * * * ?"
export HazaraMonitor__Platforms__Threads__Schedule="17/30 * * * * ?" HazaraMonitor__Platforms__Threads__QueriesPerDay=100000
# The simulator's injected throttles pass at once; Meta's take minutes, hence the 10-minute default.
export HazaraMonitor__Platforms__Instagram__RateLimitBackoff=00:00:15 HazaraMonitor__Platforms__Threads__RateLimitBackoff=00:00:15
export HazaraMonitor__Redis__Configuration="127.0.0.1:$REDIS_PORT"
# Detection scaled down to the demo's two hours: 10-minute blocks instead of days, no daily
# seasonality, an alert for a burst rarer than once in two hours. The shipped defaults need four
# days of history before they may alert.
export HazaraMonitor__Detection__Block=00:10:00 HazaraMonitor__Detection__HistoryBlocks=11 HazaraMonitor__Detection__WarmupBlocks=4
export HazaraMonitor__Detection__SeasonalDays=0 HazaraMonitor__Detection__LevelWindow=00:20:00 HazaraMonitor__Detection__ScaleWindow=01:00:00
export HazaraMonitor__Detection__Refractory=00:30:00 HazaraMonitor__Detection__AlertReturnPeriod=02:00:00 HazaraMonitor__Detection__DipWindow=00:10:00
export HazaraMonitor__Alerts__Schedule="2/10 * * * * ?" HazaraMonitor__Alerts__PublicBaseUrl="$WORKER_URL"
# One webhook of each kind, received by the simulator (GET $SIM_URL/sim/hooks shows them).
i=0
for kind in Json Slack Discord Teams; do
  export "HazaraMonitor__Alerts__Webhooks__${i}__Name=demo-${kind,,}" "HazaraMonitor__Alerts__Webhooks__${i}__Kind=$kind" \
    "HazaraMonitor__Alerts__Webhooks__${i}__Url=$SIM_URL/sim/hooks/${kind,,}"
  i=$((i + 1))
done

# The key incident writes send in X-Api-Key: a fixed one for the loopback demo; a deployment sets its own secret.
export HazaraMonitor__Api__WriteKey=${HM_WRITE_KEY:-demo-write-key-loopback-only}

echo "[demo] starting the worker on $WORKER_URL"
dotnet src/HazaraMonitor.Worker/bin/Release/net10.0/hazaramonitor.dll --urls "$WORKER_URL" &
pids+=($!)
wait_for_http "$WORKER_URL/healthz" 60 || true

cat <<EOT

[demo] HazaraMonitor is running against the simulator, in the foreground. Open the campaign page:
  $WORKER_URL/
In a second terminal, within a minute (/healthz reads Degraded at first: the simulator injects faults on purpose):
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1m'
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1h&platform=mastodon'
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1h&platform=bluesky'
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1h&platform=reddit'
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1h&platform=youtube'
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1h&platform=tiktok'
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1h&platform=instagram'
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/series?resolution=1h&platform=threads'
  curl '$WORKER_URL/api/campaigns'   # per platform: unique authors available or not, hashtags not followed and why
  curl '$WORKER_URL/metrics' | grep hazaramonitor_posts
  curl '$WORKER_URL/healthz'
The campaign's incidents (the shipped file's 2022 attacks), and one posted now, which the coming
surge's alert will name as the nearest incident before it:
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/incidents'
  curl -X POST -H 'X-Api-Key: $HazaraMonitor__Api__WriteKey' -H 'Content-Type: application/json' \
    -d '{"time": "'"\$(date -u +%Y-%m-%dT%H:%M:%SZ)"'", "title": "Demo incident", "place": "Kabul"}' \
    '$WORKER_URL/api/campaigns/stop-hazara-genocide/incidents'
A surge starts about four minutes after the start; within a minute of it:
  curl '$WORKER_URL/api/campaigns/stop-hazara-genocide/alerts'
  curl '$SIM_URL/sim/hooks'        # what the JSON, Slack, Discord and Teams webhooks received
Ctrl-C here stops all three; the counts stay in .data/.
EOT
wait "${pids[1]}"
