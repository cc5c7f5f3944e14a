#!/usr/bin/env bash
# The whole test suite: installs what it needs, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ha-test-env/install.sh   # the real Home Assistant for HomeAssistantRuntimeTests (fast when there)
swift build --build-tests
swift test --skip-build "$@"
