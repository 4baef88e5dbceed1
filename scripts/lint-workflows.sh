#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows) with actionlint, which also checks the
# local composite action and reusable workflow they call, expression types, contexts, runner
# labels and cron syntax, and runs shellcheck on every `run:` script. The helper scripts under
# .github/scripts are shellchecked directly; their behaviour is tested by `npm test`
# (test/github/scripts, with a fake $GITHUB_ENV and a fake `gh` on PATH). The self-hosted runner
# label of the prod path is declared in .github/actionlint.yaml.
#
# shellcheck comes from PATH; if it is missing and we are root with apt-get (CI machines), it is
# installed from Debian's packages. LINT_WORKFLOWS_SHELLCHECK=0 skips shellcheck entirely.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'lint-workflows: %s\n' "$*" >&2; }

actionlint="$(bash scripts/get-actionlint.sh | tail -1)"

shellcheck_args=()
if [[ "${LINT_WORKFLOWS_SHELLCHECK:-1}" == 0 ]]; then
  shellcheck_args=(-shellcheck=)
  log "shellcheck disabled (LINT_WORKFLOWS_SHELLCHECK=0)"
elif ! command -v shellcheck >/dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    log "installing shellcheck (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null && apt-get install -y -qq shellcheck >/dev/null; }
  fi
  if ! command -v shellcheck >/dev/null; then
    shellcheck_args=(-shellcheck=)
    log "warning: shellcheck not found and not installable here; linting run: scripts is skipped"
  fi
fi

log "$("$actionlint" -version | head -1) on .github/workflows"
status=0
"$actionlint" "${shellcheck_args[@]}" || status=$?

if [[ ${#shellcheck_args[@]} -eq 0 ]]; then
  mapfile -t scripts < <(find .github/scripts -name '*.sh' -type f | sort)
  if ((${#scripts[@]} > 0)); then
    log "shellcheck $(shellcheck --version | sed -n 's/^version: //p') on ${#scripts[@]} script(s) in .github/scripts"
    shellcheck "${scripts[@]}" || status=1
  fi
fi

if ((status == 0)); then
  log "workflows are clean"
fi
exit "$status"
