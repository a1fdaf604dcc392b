#!/usr/bin/env bash
# System packages newswire needs on a fresh Debian/Ubuntu machine: Java 17+ and Maven (to fetch and
# run the Kafka broker), openssl (test certificates), PostgreSQL (the production store; its tests
# start their own server), Chromium and its WebDriver (the desk page's browser tests drive
# /usr/bin/chromedriver, headless).
# Installs only what is missing; needs root (or sudo).
set -euo pipefail

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v openssl >/dev/null 2>&1 || need+=(openssl)  # the Kafka TLS tests make their own CA
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-liberation)  # fonts: a recommends, skipped below
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system packages: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
