#!/usr/bin/env bash
# The whole test suite: installs what it needs, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
