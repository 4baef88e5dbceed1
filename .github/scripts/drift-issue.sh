#!/usr/bin/env bash
# Reports the result of a drift check for one stack: expected expiries as such (and repaired),
# real drift as one GitHub issue per stack.
#
#   drift-issue.sh STACK EXIT_CODE OUTPUT_FILE
#
# EXIT_CODE is that of `pulumi refresh --preview-only --expect-no-changes --diff`:
#   0  no drift: closes the stack's open drift issue, if any
#   7  changes where none were expected. If every change is the deletion of the fine-tuned model's
#      deployment, it is an expected expiry, not drift: Azure deletes a Developer deployment 24 hours
#      after it is created (MicrosoftDocs/azure-ai-docs articles/ai-foundry/openai/how-to/fine-tune-test.md
#      @ bb237dc1) and any fine-tuned deployment after 15 days without calls
#      (articles/ai-foundry/openai/includes/fine-tune.md @ 3551178f); the fine-tuned model survives,
#      so an `up` redeploys it without training. With REPAIR=true the deploy workflow is dispatched
#      for the stack; exits 0. Anything else opens the stack's drift issue or comments on it, then
#      exits 1 so the run fails visibly too.
#   *  the check itself failed (auth, backend, program): exits with it, no issue
#
# The issue carries only resource-level lines (operation, type, name) and a link to the run; the
# property-level diff stays in the run log. Needs GH_TOKEN with `issues: write` (and
# `actions: write` for REPAIR).
#
# Env: EXPIRING_RESOURCES  regex of the logical names that expire (default: the tuned deployment,
#                          `-tuned-deployment$`); REPAIR  true to dispatch deploy.yml (default false).
set -euo pipefail

stack="${1:?usage: drift-issue.sh STACK EXIT_CODE OUTPUT_FILE}"
code="${2:?usage: drift-issue.sh STACK EXIT_CODE OUTPUT_FILE}"
output_file="${3:?usage: drift-issue.sh STACK EXIT_CODE OUTPUT_FILE}"
: "${GITHUB_SERVER_URL:?}" "${GITHUB_REPOSITORY:?}" "${GITHUB_RUN_ID:?}"

readonly EXIT_NO_CHANGES_EXPECTED=7
expiring="${EXPIRING_RESOURCES:--tuned-deployment\$}"
label="drift"
title="Drift: stack $stack no longer matches its Azure resources"
run_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"

open_issue() {
  gh issue list --repo "$GITHUB_REPOSITORY" --state open --label "$label" --limit 100 --json number,title |
    jq -r --arg t "$title" '.[] | select(.title == $t) | .number' | head -1
}

close_issue() {
  local number
  number="$(open_issue)"
  if [[ -n "$number" ]]; then
    gh issue close "$number" --repo "$GITHUB_REPOSITORY" --comment "$1"
    echo "stack $stack: closed #$number"
  fi
}

# In --diff output a changed resource is "  - azure-native:cognitiveservices:Deployment: (delete)"
# followed by "[id=...]" and "[urn=urn:pulumi:<stack>::<project>::<type>::<name>]" lines. Prints
# "<operation line>  <name>" per resource.
changed_resources() {
  awk '
    /^[[:space:]]*[-~+<>]+[[:space:]]+[A-Za-z0-9-]+:[^[:space:]]*:?[[:space:]]+\(/ { op = $0; sub(/^[[:space:]]+/, "", op); next }
    op != "" && /\[urn=/ { name = $0; sub(/.*::/, "", name); sub(/\].*/, "", name); print op "  " name; op = "" }
  ' "$output_file" | head -100
}

# True when a changed-resource line is the deletion of a deployment Azure expires by design.
is_expiry() {
  local line="$1" name="${1##* }"
  [[ "$line" == "- azure-native:cognitiveservices:Deployment: (delete)"* && "$name" =~ $expiring ]]
}

report_expiry() {
  echo "::notice title=Expected expiry in stack $stack::$1 was deleted by Azure (Developer deployments after 24 h, idle fine-tuned deployments after 15 days); the fine-tuned model remains and the next up redeploys it without training"
  if [[ "${REPAIR:-false}" == true ]]; then
    gh workflow run deploy.yml --repo "$GITHUB_REPOSITORY" --ref "${GITHUB_REF_NAME:-main}" -f stack="$stack"
    echo "stack $stack: dispatched the deploy workflow to redeploy"
  else
    echo "stack $stack: run the deploy workflow for $stack to redeploy (it needs the environment's approval)"
  fi
  close_issue "Only expected expiries remain in stack \`$stack\` as of $run_url."
}

report_drift() {
  local changes="$1" summary body number url
  summary="$(sed -n '/^Resources:/,$p' "$output_file" | head -20)"
  body="$(
    cat <<EOF
\`pulumi refresh --preview-only\` found that the Azure resources of stack \`$stack\` differ from the Pulumi state ($run_url).

Resources that changed outside Pulumi:
\`\`\`
${changes:-(see the run log)}
\`\`\`
\`\`\`
${summary}
\`\`\`

The deletion of the fine-tuned model's deployment alone is not reported here: Azure removes Developer deployments after 24 hours and idle fine-tuned deployments after 15 days, and the deploy workflow recreates them. The changes above have another cause, such as an edit in the portal or with the CLI.

To restore the declared state, run the **deploy** workflow for \`$stack\` (its \`up\` refreshes first and recreates what is missing). To accept the change instead, update the program and stack config, or run \`pulumi refresh --stack $stack\`.
EOF
  )"
  gh label create "$label" --repo "$GITHUB_REPOSITORY" --color D93F0B --description "Stack differs from its cloud resources" --force >/dev/null
  number="$(open_issue)"
  if [[ -n "$number" ]]; then
    gh issue comment "$number" --repo "$GITHUB_REPOSITORY" --body "$body" >/dev/null
    echo "::error title=Drift in stack $stack::updated issue #$number"
  else
    url="$(gh issue create --repo "$GITHUB_REPOSITORY" --title "$title" --label "$label" --body "$body")"
    echo "::error title=Drift in stack $stack::opened $url"
  fi
}

case "$code" in
  0)
    close_issue "No drift in stack \`$stack\` as of $run_url."
    echo "stack $stack: no drift"
    ;;
  "$EXIT_NO_CHANGES_EXPECTED")
    changes="$(changed_resources)"
    expired=() drifted=()
    while IFS= read -r line; do
      [[ -z "$line" ]] && continue
      if is_expiry "$line"; then expired+=("${line##* }"); else drifted+=("$line"); fi
    done <<<"$changes"
    if ((${#drifted[@]} == 0 && ${#expired[@]} > 0)); then
      report_expiry "${expired[*]}"
      exit 0
    fi
    report_drift "$changes"
    exit 1
    ;;
  *)
    echo "::error title=Drift check failed for stack $stack::pulumi refresh exited with $code (not a drift result); see the log above"
    exit "$code"
    ;;
esac
