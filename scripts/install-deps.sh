#!/usr/bin/env bash
# Install what embargo needs to build and test on Debian 12 (run as root, or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
pkgs=(build-essential cmake pkg-config
      libutf8proc-dev libicu-dev libxml2-dev libjansson-dev libarchive-dev libxxhash-dev
      libsqlite3-dev libcurl4-openssl-dev libzstd-dev libmicrohttpd-dev
      libcriterion-dev clang libclang-rt-14-dev iso-codes python3 time chromium
      sqlite3)
missing=()
for p in "${pkgs[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# npm installs the browser test's playwright-core; a NodeSource nodejs brings its own npm
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
