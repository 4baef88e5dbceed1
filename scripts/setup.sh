#!/usr/bin/env bash
# One-time set-up of a fresh clone. By default it installs only what `npm test` needs: the exact
# dependencies from the lockfile, including Node 24 into node_modules/.bin (so npm scripts do not
# run on an end-of-life system Node). No Go and no Pulumi CLI are needed for that.
#
#   bash scripts/setup.sh          # for npm test
#   bash scripts/setup.sh --e2e    # also provide the Pulumi CLI for npm run test:e2e and the
#                                  # sandbox (scripts/get-pulumi.sh: PATH, cache, or a Go build)
#
# The e2e suite fetches the CLI itself on first use too (test/e2e/support/pulumi.ts); --e2e just
# does it up front, with its progress, instead of inside a test's timeout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

with_cli=false
for arg in "$@"; do
  case "$arg" in
    --e2e) with_cli=true ;;
    -h | --help)
      sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "setup: unknown argument '$arg'; use --e2e to also provide the Pulumi CLI" >&2
      exit 2
      ;;
  esac
done

command -v npm >/dev/null || {
  echo "setup: npm not found; install Node.js (any version with npm 10+) first" >&2
  exit 2
}

echo "setup: installing npm dependencies (npm ci)"
npm ci --no-audit --no-fund

echo "setup: project Node is $(node_modules/.bin/node --version) (node_modules/.bin/node)"

if [ "$with_cli" = true ]; then
  echo "setup: providing the Pulumi CLI for the end-to-end and sandbox suites"
  pulumi_bin="$(bash scripts/get-pulumi.sh | tail -1)"
  echo "setup: pulumi CLI in $pulumi_bin"
else
  echo "setup: done for npm test; run 'bash scripts/setup.sh --e2e' before npm run test:e2e to fetch the Pulumi CLI up front"
fi
