#!/usr/bin/env bash
# Sets everything up and runs the main job on the bundled example:
# the plan for example-repo/ against the sample gateway tree in example-gateway/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build --product reconcile
set +e
.build/debug/reconcile --plan --repo example-repo --root example-gateway "$@"
status=$?
set -e
# 2 means "changes pending": the expected answer for a fresh gateway.
if [ "$status" -eq 2 ]; then
  echo "(exit status 2: changes pending, as expected for a fresh gateway)"
  exit 0
fi
exit "$status"
