#!/usr/bin/env bash
# Reports the result of a drift check for one stack as a GitHub issue.
#
#   drift-issue.sh STACK EXIT_CODE OUTPUT_FILE
#
# EXIT_CODE is that of `pulumi refresh --preview-only --expect-no-changes`:
#   0  no drift: closes the stack's open drift issue, if any
#   7  drift (changes where none were expected): opens the stack's drift issue or comments on it,
#      then exits 1 so the run fails visibly too
#   *  the check itself failed (auth, backend, program): exits with it, no issue
#
# The issue carries only resource-level lines (type, name, operation) and a link to the run; the
# property-level diff stays in the run log. Needs GH_TOKEN with `issues: write`.
set -euo pipefail

stack="${1:?usage: drift-issue.sh STACK EXIT_CODE OUTPUT_FILE}"
code="${2:?usage: drift-issue.sh STACK EXIT_CODE OUTPUT_FILE}"
output_file="${3:?usage: drift-issue.sh STACK EXIT_CODE OUTPUT_FILE}"
: "${GITHUB_SERVER_URL:?}" "${GITHUB_REPOSITORY:?}" "${GITHUB_RUN_ID:?}"

readonly EXIT_NO_CHANGES_EXPECTED=7
label="drift"
title="Drift: stack $stack no longer matches its Azure resources"
run_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"

open_issue() {
  gh issue list --state open --label "$label" --limit 100 --json number,title |
    jq -r --arg t "$title" '.[] | select(.title == $t) | .number' | head -1
}

case "$code" in
  0)
    number="$(open_issue)"
    if [[ -n "$number" ]]; then
      gh issue close "$number" --comment "No drift in stack \`$stack\` as of $run_url."
      echo "stack $stack: no drift; closed #$number"
    else
      echo "stack $stack: no drift"
    fi
    ;;
  "$EXIT_NO_CHANGES_EXPECTED")
    # In --diff output a changed resource is "  - azure-native:cognitiveservices:Deployment: (delete)"
    # followed by "[id=...]" and "[urn=urn:pulumi:<stack>::<project>::<type>::<name>]" lines.
    changes="$(awk '
      /^[[:space:]]*[-~+<>]+[[:space:]]+[A-Za-z0-9-]+:[^[:space:]]*:?[[:space:]]+\(/ { op = $0; sub(/^[[:space:]]+/, "", op); next }
      op != "" && /\[urn=/ { name = $0; sub(/.*::/, "", name); sub(/\].*/, "", name); print op "  " name; op = "" }
    ' "$output_file" | head -100)"
    summary="$(sed -n '/^Resources:/,$p' "$output_file" | head -20)"
    body="$(cat <<EOF
\`pulumi refresh --preview-only\` found that the Azure resources of stack \`$stack\` differ from the Pulumi state ($run_url).

Resources that changed outside Pulumi:
\`\`\`
${changes:-(see the run log)}
\`\`\`
\`\`\`
${summary}
\`\`\`

Expected causes on Azure OpenAI:
- Azure deletes a fine-tuned model deployment after 15 days without calls, and a Developer deployment 24 hours after it was created.
- Someone changed or deleted a resource in the portal or with the CLI.

To restore the declared state, run the **deploy** workflow (its \`up\` refreshes first and recreates what is missing; a fine-tuned model that still exists is redeployed without training again). To accept the change instead, update the program and stack config, or run \`pulumi refresh --stack $stack\`.
EOF
)"
    gh label create "$label" --color D93F0B --description "Stack differs from its cloud resources" --force >/dev/null
    number="$(open_issue)"
    if [[ -n "$number" ]]; then
      gh issue comment "$number" --body "$body" >/dev/null
      echo "::error title=Drift in stack $stack::updated issue #$number"
    else
      url="$(gh issue create --title "$title" --label "$label" --body "$body")"
      echo "::error title=Drift in stack $stack::opened $url"
    fi
    exit 1
    ;;
  *)
    echo "::error title=Drift check failed for stack $stack::pulumi refresh exited with $code (not a drift result); see the log above"
    exit "$code"
    ;;
esac
