# Sourceable: sets up the environment to run the real Pulumi engine offline against a local file backend.
#
#   source scripts/pulumi-env.sh /tmp/my-state      # state dir is created if missing
#   pulumi stack init dev                            # then config/stack commands; up/preview/destroy
#                                                    # through the Automation API (see below)
#
# Sets PULUMI_BACKEND_URL=file://<state dir>, PULUMI_HOME=<state dir>/.pulumi (no credentials, plugins
# or ~/.pulumi of the user are touched), a passphrase secrets provider (PULUMI_CONFIG_PASSPHRASE, kept
# if already set), no update check, no plugin downloads, no Automation API version check, and PATH with
# the project's node_modules/.bin first (Node >= 22 for @pulumi/pulumi and its dynamic-provider plugin)
# followed by the Pulumi CLI from scripts/get-pulumi.sh (which builds it on first use: minutes).
#
# Offline builds of the CLI lack the Node.js language host, so run programs through the Automation API
# with an inline program (the SDK serves the language runtime itself). Its workDir must resolve
# @pulumi/pulumi from node_modules (the dynamic-provider plugin looks it up from there) and holds
# Pulumi.<stack>.yaml, whose encryptionsalt ties the stack to its passphrase: give each state dir a
# fresh workDir or a fresh stack name.
#
# Returns non-zero without changing the environment if STATE_DIR is not given or the CLI is unavailable.
# Leaves the caller's shell options alone (no set -e here: this file is sourced).

pulumi_env_setup() {
  local state_dir="${1:-}" repo_dir pulumi_bin
  if [[ -z "$state_dir" ]]; then
    echo "pulumi-env.sh: usage: source scripts/pulumi-env.sh STATE_DIR" >&2
    return 2
  fi
  repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  mkdir -p "$state_dir" || return 1
  state_dir="$(cd "$state_dir" && pwd)" || return 1
  pulumi_bin="$("$repo_dir/scripts/get-pulumi.sh" | tail -1)" || return 1
  [[ -n "$pulumi_bin" && -d "$pulumi_bin" ]] || { echo "pulumi-env.sh: get-pulumi.sh gave no bin dir" >&2; return 1; }

  export PULUMI_BACKEND_URL="file://$state_dir"
  export PULUMI_HOME="$state_dir/.pulumi"
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-offline-test-passphrase}"
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
  # Plugins must come from PATH (pulumi-resource-pulumi-nodejs for dynamic providers); a download
  # attempt would hang or fail without internet, so fail fast instead.
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export PULUMI_DISABLE_REGISTRY_RESOLVE=true
  export PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
  export PULUMI_SUPPRESS_NEO_LINK=true
  export PATH="$repo_dir/node_modules/.bin:$pulumi_bin:$PATH"
  export PULUMI_OFFLINE_BIN_DIR="$pulumi_bin"
}

pulumi_env_setup "$@"
