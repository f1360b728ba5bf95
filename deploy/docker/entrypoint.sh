#!/bin/sh
# The VoiceHire image's entrypoint; one image runs every role:
#   serve            migrations, then the API and web app on 0.0.0.0:$VH_API_PORT (default)
#   agent [ARGS]     the LiveKit agent worker (`voicehire agent start` when no ARGS)
#   migrate          apply the database migrations and exit (the Kubernetes Job)
#   healthcheck      exit 0 when the role running in this container is healthy
#   anything else    run as given (e.g. `voicehire interview --answers ...`)
# tests/deploy/test_entrypoint.py runs this same script outside a container.
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
role_file="${VH_ROLE_FILE:-${TMPDIR:-/tmp}/voicehire-role}"

role="${1:-serve}"
[ "$#" -gt 0 ] && shift

case "$role" in
  serve)
    echo serve >"$role_file"
    if [ "${VH_MIGRATE_ON_START:-true}" != "false" ]; then
      voicehire migrate
    fi
    exec voicehire serve --host "${VH_API_HOST:-0.0.0.0}" "$@"
    ;;
  agent)
    echo agent >"$role_file"
    if [ "$#" -eq 0 ]; then
      set -- start
    fi
    exec voicehire agent "$@"
    ;;
  migrate)
    exec voicehire migrate "$@"
    ;;
  healthcheck)
    exec python "$here/healthcheck.py" "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
