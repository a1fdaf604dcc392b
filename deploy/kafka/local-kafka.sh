#!/usr/bin/env bash
# Start/stop/status of the local development broker; see README.md beside this file.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
exec "${here}/.venv/bin/newswire" broker "${1:-status}"
