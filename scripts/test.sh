#!/usr/bin/env bash
# Build with AddressSanitizer + UndefinedBehaviorSanitizer and run the whole test suite.
# Real lists are read from ../shared/data (or $EMBARGO_DATA_DIR); tests that need them are
# skipped with a message when they are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# the web page's browser test drives chromium with playwright-core (pinned in tests/web)
if [ ! -d tests/web/node_modules ]; then
    npm ci --prefix tests/web --no-audit --no-fund
fi
cmake --workflow --preset asan
