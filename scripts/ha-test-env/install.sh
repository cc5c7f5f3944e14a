#!/usr/bin/env bash
# Installs a real Home Assistant (from PyPI) into a venv for Tests/HomeAssistantRuntimeTests.
# Idempotent: a marker file records the installed version, so a second run returns at once.
# CI runs it on a fresh machine: it uses uv (from PyPI), which installs Home Assistant's ~60
# packages in seconds where pip takes minutes, and falls back to pip if uv cannot be had.
# Nothing beyond the `homeassistant` package is needed: the tests run `hass --skip-pip` with only
# `http:` and `auth:` configured, which import no optional requirement.
set -euo pipefail

HA_VERSION=2024.1.6   # the last line that runs on Python 3.11 and still reads http: from YAML
venv="${RECONCILE_HA_VENV:-$HOME/.cache/reconcile/ha-venv}"
marker="$venv/.reconcile-ha-version"
python="${PYTHON:-python3}"
started=$(date +%s)

if [ -x "$venv/bin/hass" ] && [ "$(cat "$marker" 2>/dev/null)" = "$HA_VERSION" ]; then
  echo "ha-test-env: homeassistant $HA_VERSION already installed in $venv"
  exit 0
fi

echo "ha-test-env: installing homeassistant $HA_VERSION into $venv"
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
scratch=$(mktemp -d)
interpreter=$("$python" -c 'import sys; print(sys.executable)')   # the real one, not a pyenv shim
trap 'rm -rf "$scratch"' EXIT

# uv and its download cache live in a scratch dir: the venv keeps only what hass needs.
if "$python" -m pip install --quiet --target "$scratch/uv" uv >/dev/null 2>&1 \
   && UV_CACHE_DIR="$scratch/cache" UV_PYTHON_DOWNLOADS=never UV_NATIVE_TLS=1 \
      "$scratch/uv/bin/uv" venv --quiet --python "$interpreter" "$venv" \
   && UV_CACHE_DIR="$scratch/cache" UV_PYTHON_DOWNLOADS=never UV_NATIVE_TLS=1 \
      "$scratch/uv/bin/uv" pip install --quiet --python "$venv/bin/python" "homeassistant==$HA_VERSION"; then
  installer=uv
else
  echo "ha-test-env: uv failed, installing with pip (a few minutes)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --no-compile "homeassistant==$HA_VERSION"
  installer=pip
fi

"$venv/bin/hass" --version >/dev/null   # fails here, not in the tests, if the install is broken
echo "$HA_VERSION" > "$marker"
echo "ha-test-env: homeassistant $HA_VERSION installed with $installer in $(( $(date +%s) - started )) s ($(du -sh "$venv" | cut -f1) in $venv)"
