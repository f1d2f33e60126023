#!/bin/sh
# A stand-in for podman in unit tests (SmokeStageTest): answers the commands the smoke stage uses with
# canned output and appends each call to $SMOKE_DOUBLE_LOG. For `run` it also records the API_TOKEN it
# received through its environment, which is how the stage must hand over secrets.
# SMOKE_DOUBLE_MODE: no-engine (every command fails), no-image (the image is not local and cannot be pulled).
log="${SMOKE_DOUBLE_LOG:?SMOKE_DOUBLE_LOG must be set}"
printf '%s\n' "$*" >>"$log"
if [ "$SMOKE_DOUBLE_MODE" = no-engine ]; then
  echo 'Error: unable to connect to Podman socket' >&2
  exit 125
fi
case "$1" in
  version)
    printf '{"Client":{"APIVersion":"4.3.1","Version":"4.3.1-double","Os":"linux"}}\n' ;;
  image)
    [ "$SMOKE_DOUBLE_MODE" = no-image ] && exit 1
    exit 0 ;;
  pull)
    echo 'Trying to pull the image...' >&2
    echo 'Error: initializing source: reading manifest: manifest unknown' >&2
    exit 125 ;;
  run)
    printf 'env API_TOKEN=%s\n' "${API_TOKEN-unset}" >>"$log"
    printf 'env HOST_TOKEN=%s\n' "${HOST_TOKEN-unset}" >>"$log"
    printf '%s' "${API_TOKEN-}" >"$log.token"
    echo 0123456789abcdef ;;
  container)
    # The container's process exited at once with 3: nothing will ever answer on its port.
    printf '[{"Id":"0123456789abcdef","Config":{"User":"65532"},"State":{"Running":false,"Pid":0,"ExitCode":3,"OOMKilled":false}}]\n' ;;
  top)
    echo 'Error: top can only be used on running containers' >&2
    exit 125 ;;
  stop | rm)
    echo "$3" ;;
  logs)
    echo '{"level":"INFO","msg":"started"}'
    # A service that logs the secret it was given: the stage must redact it. The host variable itself
    # never reaches the runtime.
    printf '{"level":"INFO","msg":"configured","token":"%s"}\n' "$(cat "$log.token")"
    echo 'Exception in thread "main" java.lang.IllegalStateException: boom' >&2 ;;
  *)
    echo "runtime double: unexpected command: $*" >&2
    exit 99 ;;
esac
