#!/usr/bin/env bash
# Starts, stops or restarts a test Home Assistant (the venv from install.sh) for one config dir,
# in the background with a pidfile: the stand-in for `docker-compose restart homeassistant` in
# the HomeAssistantRuntimeTests, run through reconcile's HomeAssistantControl.
#
#   hass-ctl.sh start|stop|restart|status CONFIG_DIR [PORT]
#
# The port is where configuration.yaml's http: serves; given, `start` refuses a port that is
# already taken (Home Assistant would start without HTTP and the tests would probe someone else):
# a best-effort check, not a reservation.
# Commands return once the old process is gone or the new one runs: readiness is the caller's job.
# hass's output goes to CONFIG_DIR/hass-ctl.log, its pid to CONFIG_DIR/hass-ctl.pid.
set -euo pipefail

usage() { echo "usage: $0 start|stop|restart|status CONFIG_DIR [PORT]" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
dir=$(cd "$2" && pwd)
port=${3:-}
venv="${RECONCILE_HA_VENV:-$HOME/.cache/reconcile/ha-venv}"
pidfile="$dir/hass-ctl.pid"
log="$dir/hass-ctl.log"
stop_timeout=${HASS_CTL_STOP_TIMEOUT:-30}

# The pid in the pidfile, if that process is still our hass for this dir (pids get reused).
running_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "hass -c $dir " || return 1
  echo "$pid"
}

port_taken() { [ -n "$port" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

do_stop() {
  local pid waited=0
  if ! pid=$(running_pid); then
    rm -f "$pidfile"
    echo "hass-ctl: not running ($dir)"
    return 0
  fi
  kill -TERM "$pid"
  # Home Assistant shuts down in stages; a kill only if it hangs, so the port is free on return.
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((stop_timeout * 10)) ]; then
      echo "hass-ctl: pid $pid still running after ${stop_timeout} s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$pidfile"
  echo "hass-ctl: stopped pid $pid ($dir)"
}

do_start() {
  local pid
  if pid=$(running_pid); then
    echo "hass-ctl: already running as pid $pid ($dir)"
    return 0
  fi
  if [ ! -x "$venv/bin/hass" ]; then
    echo "hass-ctl: no Home Assistant in $venv: run scripts/ha-test-env/install.sh" >&2
    exit 127
  fi
  if port_taken; then
    echo "hass-ctl: port $port is already in use; Home Assistant would start without HTTP" >&2
    exit 1
  fi
  # setsid: hass outlives this script and is out of the caller's process group, so a caller that
  # kills this command at its timeout does not take Home Assistant down with it.
  setsid "$venv/bin/hass" -c "$dir" --skip-pip >>"$log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" > "$pidfile"
  sleep 0.5
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "hass-ctl: hass exited at once; the end of $log:" >&2
    tail -n 20 "$log" >&2
    rm -f "$pidfile"
    exit 1
  fi
  echo "hass-ctl: started pid $pid ($dir)"
}

case "$action" in
  start) do_start ;;
  stop) do_stop ;;
  restart) do_stop; do_start ;;
  status)
    if pid=$(running_pid); then echo "hass-ctl: running as pid $pid ($dir)"; else echo "hass-ctl: not running ($dir)"; exit 3; fi ;;
  *) usage ;;
esac
