# Sourced before the README's examples. Any failing command stops the run and
# is named; curl fails on an HTTP error, or on an error report in a 2xx body
# (a streamed or batched produce). `npx sluice` runs the package's bin
# (bin/sluice.mjs), which is what npx runs inside the project, but from the
# scratch directory the examples write their files to.
set -e -o pipefail
trap 'echo "README example failed (exit $?): $BASH_COMMAND" >&2' ERR

npx() {
  if [ "$1" = sluice ]; then
    shift
    node "$SLUICE_ROOT/bin/sluice.mjs" "$@"
  else
    command npx "$@"
  fi
}

curl() {
  local answer status body
  answer=$(command curl -sS -w '\n%{http_code}' "$@")
  status=${answer##*$'\n'}
  body=${answer%$'\n'*}
  printf '%s\n' "$body"
  if [ "$status" -ge 400 ] || printf '%s' "$body" | grep -Eq '"error_code": ?[45][0-9]'; then
    echo "HTTP $status: $body" >&2
    return 1
  fi
}
