#!/usr/bin/env bash
# Build with AddressSanitizer + UndefinedBehaviorSanitizer and run the whole test suite.
# Real lists are read from ../shared/data (or $EMBARGO_DATA_DIR); tests that need them are
# skipped with a message when they are absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --workflow --preset asan
