# Shared by demo.sh and test.sh: make sure the machine has what HazaraMonitor needs.

# ensure_command CMD DEBIAN_PACKAGE: installs the package with apt-get when CMD is missing.
ensure_command() {
  local cmd=$1 package=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  echo "[setup] $cmd is missing; installing Debian package $package" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
}

# PostgreSQL's server tools (initdb, pg_ctl) live outside PATH on Debian: add them when installed.
add_postgres_to_path() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then PATH="$PATH:$dir"; fi
  done
  export PATH
}

# export_simulator_settings SIM_URL: points the worker started from this shell at the platform
# simulator (its tokens are not secrets; real ones go in the environment the same way).
export_simulator_settings() {
  local sim=$1
  export HazaraMonitor__Platforms__X__BaseUrl="$sim"
  export HazaraMonitor__Platforms__X__BearerToken=simulator-token
  # The three configured Mastodon instances become the simulator's three.
  export HazaraMonitor__Platforms__Mastodon__Instances__0__BaseUrl="$sim/mastodon/a"
  export HazaraMonitor__Platforms__Mastodon__Instances__1__BaseUrl="$sim/mastodon/b"
  export HazaraMonitor__Platforms__Mastodon__Instances__2__BaseUrl="$sim/mastodon/c"
  export HazaraMonitor__Platforms__Bluesky__JetstreamUrl="${sim/http/ws}/jetstream/subscribe"
  export HazaraMonitor__Platforms__Reddit__BaseUrl="$sim/reddit"
  export HazaraMonitor__Platforms__Reddit__TokenUrl="$sim/reddit/api/v1/access_token"
  export HazaraMonitor__Platforms__Reddit__ClientId=sim-client
  export HazaraMonitor__Platforms__Reddit__ClientSecret=sim-secret
  export HazaraMonitor__Platforms__YouTube__BaseUrl="$sim/youtube"
  export HazaraMonitor__Platforms__YouTube__ApiKey=sim-youtube-key
  export HazaraMonitor__Platforms__TikTok__BaseUrl="$sim/tiktok"
  export HazaraMonitor__Platforms__TikTok__TokenUrl="$sim/tiktok/v2/oauth/token/"
  export HazaraMonitor__Platforms__TikTok__ClientKey=sim-tiktok-key
  export HazaraMonitor__Platforms__TikTok__ClientSecret=sim-tiktok-secret
  export HazaraMonitor__Platforms__Instagram__BaseUrl="$sim/instagram"
  export HazaraMonitor__Platforms__Instagram__UserId=17841405309211844
  export HazaraMonitor__Platforms__Instagram__AccessToken=sim-instagram-token
  export HazaraMonitor__Platforms__Threads__BaseUrl="$sim/threads"
  export HazaraMonitor__Platforms__Threads__AccessToken=sim-threads-token
}

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "[setup] the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
    exit 1
  fi
}

# wait_for_http URL SECONDS: polls until URL answers.
wait_for_http() {
  local url=$1 seconds=$2
  for _ in $(seq 1 "$((seconds * 4))"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.25
  done
  echo "[setup] $url did not answer within ${seconds}s" >&2
  return 1
}
