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
