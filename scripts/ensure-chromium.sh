#!/usr/bin/env bash
# Makes sure headless Chromium is at /usr/bin/chromium for the status-page browser test
# (router: StatusPageBrowserTest). Installs Debian's `chromium` package when it is missing.
# Non-interactive; must run as root (or with passwordless sudo). Safe to run again: does nothing when present.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") already installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "ensure-chromium: $CHROMIUM is missing and installing it needs root (or passwordless sudo)" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium by hand" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "ensure-chromium: installing Debian's chromium package"
# Retried once: a fresh machine's package lists can be stale or briefly unreachable.
for attempt in 1 2; do
    if "${SUDO[@]}" apt-get update -q \
        && "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core; then
        break
    fi
    if [ "$attempt" -eq 2 ]; then
        echo "ensure-chromium: apt-get could not install chromium" >&2
        exit 1
    fi
    sleep 5
done

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure-chromium: the chromium package installed, but $CHROMIUM is still missing" >&2
    exit 1
fi
echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") installed"
