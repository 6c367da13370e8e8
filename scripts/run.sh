#!/usr/bin/env bash
# Run the bot on a fresh machine: makes .venv, installs boardbot, starts it with long polling.
# Without TELEGRAM_BOT_TOKEN it plays the built-in demo and says how to get a token.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
exec .venv/bin/boardbot "${@:-run}"
