#!/usr/bin/env bash
# Keeps a fresh GitHub OIDC token in a file for Azure SDKs (workload identity federation) for the
# rest of the job, and exports AZURE_FEDERATED_TOKEN_FILE.
#
# Why: the Azure CLI session that azure/login creates cannot renew itself. GitHub's OIDC token is
# valid for minutes, and once the CLI's first Entra token expires (about an hour), every
# AzureCliCredential call fails with AADSTS700024 "Client assertion is not within its valid time
# range" (Azure/login#180, #372). An `up` that waits hours for a fine-tune would then lose the
# state backend (azblob), the Key Vault secrets provider and the dynamic providers' Entra tokens
# mid-run. WorkloadIdentityCredential, which @azure/identity and Go azidentity try before the CLI in
# DefaultAzureCredential, instead re-reads this file whenever it needs a new token.
#
# The refresher runs in the background until the runner ends the job's processes.
# Needs `permissions: id-token: write`. Env: REFRESH_SECONDS (default 120: GitHub's tokens live for
# minutes and the SDKs cache the file's content for up to 5 minutes, so it must be young when read).
set -euo pipefail

: "${ACTIONS_ID_TOKEN_REQUEST_URL:?no OIDC token endpoint; give the job \`permissions: id-token: write\`}"
: "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:?no OIDC request token; give the job \`permissions: id-token: write\`}"
: "${RUNNER_TEMP:?not running in GitHub Actions}"
: "${GITHUB_ENV:?not running in GitHub Actions}"

token_file="$RUNNER_TEMP/azure-federated-token"
refresh_seconds="${REFRESH_SECONDS:-120}"

fetch_token() {
  local response token
  response="$(curl --silent --show-error --fail --retry 3 --max-time 30 \
    -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \
    "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=api://AzureADTokenExchange")" || return 1
  token="$(jq -r '.value // empty' <<<"$response")"
  [[ -n "$token" ]] || return 1
  # Atomic replace: a reader never sees a half-written token.
  (umask 077 && printf '%s' "$token" >"$token_file.tmp")
  mv -f "$token_file.tmp" "$token_file"
}

fetch_token || { echo "::error::could not get a GitHub OIDC token for audience api://AzureADTokenExchange"; exit 1; }

# Detached from the step's output so the step can end; a failed refresh keeps the previous token
# and is retried next round.
(
  while sleep "$refresh_seconds"; do
    fetch_token || echo "federated-token: refresh failed at $(date -u +%FT%TZ)"
  done
) >>"$RUNNER_TEMP/federated-token.log" 2>&1 </dev/null &
disown

echo "AZURE_FEDERATED_TOKEN_FILE=$token_file" >>"$GITHUB_ENV"
echo "federated token in $token_file, refreshed every ${refresh_seconds}s (pid $!)"
