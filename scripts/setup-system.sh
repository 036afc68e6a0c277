#!/usr/bin/env bash
# System packages for the end-to-end tier (code-server in headless Chromium).
# Idempotent: when every package is already installed it touches nothing and
# returns at once, so CI and `npm start` can call it on every run.
set -euo pipefail

# chromium: the browser playwright-core drives (no browser download allowed here).
# ripgrep: rg, packed into @vscode/ripgrep's offline cache by install-code-server.mjs.
# libkrb5-dev: headers for code-server's native kerberos module.
# python3, make, g++, pkg-config: node-gyp builds code-server's native modules from source.
# fonts-liberation: readable text in the README screenshots.
packages=(chromium ripgrep libkrb5-dev python3 make g++ pkg-config fonts-liberation)

missing=()
for p in "${packages[@]}"; do
  # dpkg -s exits 0 for removed-but-configured packages too, so read the status.
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ] && command -v chromium >/dev/null && command -v rg >/dev/null; then
  echo "setup-system: all present (${packages[*]})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-system: missing ${missing[*]}; run as root: sudo bash scripts/setup-system.sh" >&2
  exit 1
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-system: done"
