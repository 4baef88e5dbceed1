#!/usr/bin/env bash
# Resolves which Azure identity, subscription and Pulumi backend a job uses for one stack, from the
# repository/environment variables (passed in as JSON because composite actions cannot read `vars`):
#
#   AZURE_CLIENT_ID_<STACK>          deploy identity (stack output `ciClientId`); used by `up` jobs,
#                                    which run in the stack's GitHub environment. Falls back to
#                                    AZURE_CLIENT_ID (e.g. set on the environment).
#   AZURE_PREVIEW_CLIENT_ID_<STACK>  read-only preview identity (stack output `ciPreviewClientId`);
#                                    used by pull-request previews and drift checks. Falls back to
#                                    AZURE_PREVIEW_CLIENT_ID, never to the deploy identity.
#   AZURE_TENANT_ID[_<STACK>]        tenant (stack output `ciTenantId`)
#   AZURE_SUBSCRIPTION_ID[_<STACK>]
#   PULUMI_BACKEND_URL[_<STACK>]     azblob://<container>?storage_account=<account>, one container per
#                                    environment; empty = Pulumi Cloud
#   PULUMI_ORG                       optional organization prefix of the stack name (Pulumi Cloud)
#
# <STACK> is the stack name upper-cased with non-alphanumerics as "_" (dev -> DEV): each stack has
# its own identities, and previews and drift checks run without a GitHub environment.
#
# Inputs (env): STACK, IDENTITY (deploy or preview), VARS_JSON. Writes step outputs and job
# environment; prints no identifiers beyond what azure/login prints anyway.
set -euo pipefail

: "${STACK:?STACK (short stack name, e.g. dev) is required}"
: "${VARS_JSON:?VARS_JSON (toJSON(vars)) is required}"
: "${IDENTITY:?IDENTITY (deploy or preview) is required}"
: "${GITHUB_OUTPUT:?not running in GitHub Actions}"
: "${GITHUB_ENV:?not running in GitHub Actions}"

suffix="$(tr '[:lower:]' '[:upper:]' <<<"$STACK" | tr -c 'A-Z0-9\n' '_')"
guid_re='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
problems=()

# Prints the stack-specific variable if set, else the plain one; empty if neither.
lookup() {
  jq -r --arg specific "$1_$suffix" --arg plain "$1" '(.[$specific] // "") as $s | if $s != "" then $s else (.[$plain] // "") end' <<<"$VARS_JSON"
}

require_guid() {
  local name="$1" value="$2" hint="$3"
  if [[ -z "$value" ]]; then
    problems+=("repository variable ${name}_${suffix} (or ${name}) is not set; $hint")
  elif [[ ! "$value" =~ $guid_re ]]; then
    problems+=("${name}_${suffix}/${name} is \"$value\", not a GUID; $hint")
  fi
}

case "$IDENTITY" in
  deploy) client_var=AZURE_CLIENT_ID output=ciClientId ;;
  preview) client_var=AZURE_PREVIEW_CLIENT_ID output=ciPreviewClientId ;;
  *) echo "::error::IDENTITY is \"$IDENTITY\"; use deploy or preview"; exit 1 ;;
esac

client_id="$(lookup "$client_var")"
tenant_id="$(lookup AZURE_TENANT_ID)"
subscription_id="$(lookup AZURE_SUBSCRIPTION_ID)"
backend_url="$(lookup PULUMI_BACKEND_URL)"
org="$(jq -r '.PULUMI_ORG // ""' <<<"$VARS_JSON")"

require_guid "$client_var" "$client_id" "copy it from \`pulumi stack output $output --stack $STACK\`"
require_guid AZURE_TENANT_ID "$tenant_id" "copy it from \`pulumi stack output ciTenantId --stack $STACK\`"
require_guid AZURE_SUBSCRIPTION_ID "$subscription_id" "use the subscription the stack deploys to (\`az account show --query id\`)"
if [[ -z "$backend_url" && -z "${PULUMI_ACCESS_TOKEN:-}" ]]; then
  problems+=("neither repository variable PULUMI_BACKEND_URL_${suffix} (or PULUMI_BACKEND_URL: azblob://<container>?storage_account=<account>) nor secret PULUMI_ACCESS_TOKEN (Pulumi Cloud) is set; configure one state backend")
fi

if ((${#problems[@]} > 0)); then
  for p in "${problems[@]}"; do echo "::error title=Stack $STACK is not configured::$p"; done
  exit 1
fi

stack_name="$STACK"
[[ -n "$org" ]] && stack_name="$org/$STACK"

{
  echo "client-id=$client_id"
  echo "tenant-id=$tenant_id"
  echo "subscription-id=$subscription_id"
  echo "stack-name=$stack_name"
  echo "backend-url=$backend_url"
} >>"$GITHUB_OUTPUT"

{
  # azure-native and azuread exchange GitHub's OIDC token themselves (ACTIONS_ID_TOKEN_REQUEST_*)
  # whenever they need a new Entra token, so they stay signed in for a 6-hour job.
  echo "ARM_USE_OIDC=true"
  echo "ARM_CLIENT_ID=$client_id"
  echo "ARM_TENANT_ID=$tenant_id"
  echo "ARM_SUBSCRIPTION_ID=$subscription_id"
  # Read by @azure/identity and Go azidentity (WorkloadIdentityCredential, with the token file from
  # federated-token.sh): the dynamic providers, the azblob state backend and the Key Vault secrets provider.
  echo "AZURE_CLIENT_ID=$client_id"
  echo "AZURE_TENANT_ID=$tenant_id"
  echo "AZURE_SUBSCRIPTION_ID=$subscription_id"
  echo "PULUMI_STACK=$stack_name"
  echo "PULUMI_SKIP_UPDATE_CHECK=true"
  [[ -n "$backend_url" ]] && echo "PULUMI_BACKEND_URL=$backend_url"
  true
} >>"$GITHUB_ENV"

echo "stack $stack_name: $IDENTITY identity $client_id, subscription $subscription_id, backend ${backend_url:-Pulumi Cloud}"
