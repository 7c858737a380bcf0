# Sourced by the smoke tests: starts the fake Confluence (built unless FAKE_CONFLUENCE_BIN names
# one) in the background and waits for its announcement line. Needs `log`, `die` and `$WORK`.
# Sets FAKE_PID, FAKE_BASE_URL, FAKE_ROOT_PAGE_ID and FAKE_TOKEN.
start_fake() {
  local fake
  if [ -n "${FAKE_CONFLUENCE_BIN:-}" ]; then
    fake="$FAKE_CONFLUENCE_BIN"
  else
    log "cargo build -p fake-confluence"
    cargo build --quiet --locked -p fake-confluence
    fake="${CARGO_TARGET_DIR:-target}/debug/fake-confluence"
  fi
  "$fake" "$@" > "$WORK/fake.json" 2> "$WORK/fake.log" &
  FAKE_PID=$!
  for _ in $(seq 100); do
    [ "$(wc -l < "$WORK/fake.json")" -ge 1 ] && break # one complete line
    kill -0 "$FAKE_PID" 2> /dev/null || break
    sleep 0.1
  done
  [ "$(wc -l < "$WORK/fake.json")" -ge 1 ] || { cat "$WORK/fake.log" >&2; die "fake-confluence did not announce itself"; }
  FAKE_BASE_URL="$(fake_field base_url)"
  FAKE_ROOT_PAGE_ID="$(fake_field root_page_id)"
  FAKE_TOKEN="$(fake_field token)"
  case "$FAKE_BASE_URL" in http://127.0.0.1:*) ;; *) die "fake-confluence is not on 127.0.0.1: $FAKE_BASE_URL" ;; esac
}

# One field of the fake's announcement line ("" for null).
fake_field() {
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print("" if v is None else v)' "$WORK/fake.json" "$1"
}
