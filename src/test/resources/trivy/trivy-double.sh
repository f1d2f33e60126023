#!/bin/sh
# Test double for trivy, used only by src/test/java/dev/releasegate/stages/trivy (TrivyDouble copies
# it to a folder first on the stage's PATH, as "trivy"). It answers the two commands the stage runs:
#
#   trivy --version --format json [...]   prints version JSON shaped like trivy 0.58's
#   trivy image|sbom ... --output FILE ... copies $DOUBLE_REPORT to FILE
#
# Controlled by the environment the test gives the release:
#   DOUBLE_REPORT          the fixture report to replay
#   DOUBLE_ARGV            file that gets one line per invocation: the arguments, tab-separated
#   DOUBLE_CONTEXT         file that gets the working directory and the TRIVY_* variables trivy saw
#   DOUBLE_MODE            replay (default) | garbage | exit2 | sleep | version-garbage
#   DOUBLE_DB_UPDATED_AT   VulnerabilityDB.UpdatedAt; default: now
set -u
# The double's own tools (cat, grep, date) must work even when a test runs it with a PATH that
# deliberately holds no trivy.
PATH="${PATH:+$PATH:}/usr/bin:/bin"

if [ -n "${DOUBLE_ARGV:-}" ]; then
  sep=''
  for argument in "$@"; do
    printf '%s%s' "$sep" "$argument" >> "$DOUBLE_ARGV"
    sep='	'
  done
  printf '\n' >> "$DOUBLE_ARGV"
fi
if [ -n "${DOUBLE_CONTEXT:-}" ]; then
  { echo "pwd=$(pwd)"; env | grep '^TRIVY_' | sort; } >> "$DOUBLE_CONTEXT"
fi
mode="${DOUBLE_MODE:-replay}"

if [ "${1:-}" = "--version" ]; then
  if [ "$mode" = "version-garbage" ]; then
    echo "Version: 0.58.1"
    exit 0
  fi
  updated="${DOUBLE_DB_UPDATED_AT:-$(date -u +%Y-%m-%dT%H:%M:%S.123456789Z)}"
  cat <<JSON
{"Version":"0.58.1","VulnerabilityDB":{"Version":2,"NextUpdate":"2099-01-01T00:00:00Z","UpdatedAt":"$updated","DownloadedAt":"$updated"},"JavaDB":{"Version":1,"NextUpdate":"2099-01-01T00:00:00Z","UpdatedAt":"$updated","DownloadedAt":"$updated"}}
JSON
  exit 0
fi

output=''
previous=''
for argument in "$@"; do
  if [ "$previous" = "--output" ]; then
    output="$argument"
  fi
  previous="$argument"
done

case "$mode" in
  exit2)
    echo "2024-04-10T08:39:23Z	INFO	[vulndb] Need to update DB" >&2
    echo "2024-04-10T08:39:24Z	FATAL	Fatal error	run error: image scan error: unable to initialize an image scanner: 4 errors occurred" >&2
    exit 2
    ;;
  sleep)
    sleep 30
    ;;
esac

if [ -z "$output" ]; then
  echo "trivy double: no --output given" >&2
  exit 64
fi
echo "2024-04-10T08:39:23Z	INFO	[vuln] Vulnerability scanning is enabled" >&2
if [ "$mode" = "garbage" ]; then
  printf 'Segmentation fault {"SchemaVersion": 2' > "$output"
else
  cat "$DOUBLE_REPORT" > "$output"
fi
