#!/usr/bin/env bash
# One-time set-up of a fresh clone: installs the exact dependencies from the lockfile (including
# Node 24 into node_modules/.bin, so npm scripts do not run on an end-of-life system Node) and
# provides the Pulumi CLI used by the end-to-end tests (cached outside the clone).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v npm >/dev/null || { echo "setup: npm not found; install Node.js (any version with npm 10+) first" >&2; exit 2; }

echo "setup: installing npm dependencies (npm ci)"
npm ci --no-audit --no-fund

node_version="$(node_modules/.bin/node --version)"
echo "setup: project Node is $node_version (node_modules/.bin/node)"

echo "setup: providing the Pulumi CLI"
pulumi_bin="$(bash scripts/get-pulumi.sh | tail -1)"
echo "setup: pulumi CLI in $pulumi_bin"
