#!/usr/bin/env bash
# Provides the Pulumi CLI and its Node.js language host, and prints, as the last line of stdout, the
# directory to put on PATH:
#
#   PATH="$(scripts/get-pulumi.sh | tail -1):$PATH"
#
# A working `pulumi` already on PATH wins. Otherwise the CLI is built with the Go toolchain from the
# Go module proxy (machines without internet reach package registries only, so Pulumi's installer is
# not an option there) and cached outside the clone, so later runs and fresh clones cost seconds.
# Progress goes to stderr; stdout carries only the directory.
#
# Environment:
#   GET_PULUMI_FORCE_BUILD=1  ignore a `pulumi` on PATH and use/build the cached one
#   GO                        Go toolchain to use (default: `go` on PATH, else /usr/local/go/bin/go)
#   XDG_CACHE_HOME            cache root (default ~/.cache)
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The one pin of the CLI version (the setup-stack action and the tests check they agree with it).
PULUMI_VERSION="v$(tr -d '[:space:]' <"$repo_dir/scripts/pulumi-version")"

readonly PKG_MODULE="github.com/pulumi/pulumi/pkg/v3"
readonly SDK_MODULE="github.com/pulumi/pulumi/sdk/v3"
# The Node.js language host (`pulumi-language-nodejs`, what runs a TypeScript program for `pulumi up`)
# now lives in its own module, github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3, which
# the module proxy refuses. Up to sdk v3.68.0 (May 2023) it was a package of the sdk module itself
# (https://github.com/pulumi/pulumi/tree/v3.68.0/sdk/nodejs/cmd/pulumi-language-nodejs), which the
# proxy serves, so that is the host built here. It runs the program with the project's own
# @pulumi/pulumi (node_modules), so the SDK stays current; what the 2023 host lacks is in
# docs/sandbox.md.
readonly NODEJS_HOST_SDK_VERSION="v3.68.0"
readonly NODEJS_HOST_PACKAGE="$SDK_MODULE/nodejs/cmd/pulumi-language-nodejs"

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/azure-openai-finetune/pulumi"
version_dir="$cache_root/$PULUMI_VERSION"
bin_dir="$version_dir/bin"

log() { printf 'get-pulumi: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The dynamic-provider plugin is a shell script shipped in the @pulumi/pulumi npm package. It resolves
# @pulumi/pulumi from its working directory (the Pulumi program's directory), so a copy works for any
# clone, unlike a symlink into one clone's node_modules.
install_dynamic_provider_plugin() {
  local dest_dir="$1" src="$repo_dir/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [[ -x "$dest_dir/pulumi-resource-pulumi-nodejs" ]] && return 0
  if [[ ! -f "$src" ]]; then
    log "warning: $src not found (run \`npm install\` first); dynamic providers need pulumi-resource-pulumi-nodejs on PATH"
    return 0
  fi
  cp "$src" "$dest_dir/.pulumi-resource-pulumi-nodejs.$$"
  chmod 755 "$dest_dir/.pulumi-resource-pulumi-nodejs.$$"
  mv -f "$dest_dir/.pulumi-resource-pulumi-nodejs.$$" "$dest_dir/pulumi-resource-pulumi-nodejs"
}

if [[ "${GET_PULUMI_FORCE_BUILD:-}" != 1 ]] && existing="$(command -v pulumi)" && pulumi version >/dev/null 2>&1; then
  found_version="$(pulumi version 2>/dev/null)"
  [[ "$found_version" == "$PULUMI_VERSION" ]] || log "note: using $existing ($found_version); this project pins $PULUMI_VERSION"
  log "using pulumi $found_version from PATH"
  dirname "$existing"
  exit 0
fi

cli_cached() { [[ -x "$bin_dir/pulumi" ]] && "$bin_dir/pulumi" version >/dev/null 2>&1; }
host_cached() { [[ -x "$bin_dir/pulumi-language-nodejs" ]]; }

if cli_cached && host_cached; then
  install_dynamic_provider_plugin "$bin_dir"
  log "using cached pulumi $PULUMI_VERSION"
  echo "$bin_dir"
  exit 0
fi

go_bin="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
[[ -x "$go_bin" ]] || die "no pulumi on PATH and no Go toolchain at $go_bin; install Pulumi (curl -fsSL https://get.pulumi.com | sh) or Go, or set GO=/path/to/go"

mkdir -p "$cache_root"
# Concurrent runs (parallel CI jobs) would each spend minutes building; the second one waits and reuses.
if command -v flock >/dev/null; then
  exec 9>"$cache_root/.lock"
  log "waiting for the build lock ($cache_root/.lock)"
  flock 9
  if cli_cached && host_cached; then
    install_dynamic_provider_plugin "$bin_dir"
    log "using pulumi $PULUMI_VERSION built by a concurrent run"
    echo "$bin_dir"
    exit 0
  fi
  # Holding the lock, any staging dir is a leftover of a killed build.
  rm -rf "$cache_root"/.staging-*
fi

# A private module and build cache keep the host's GOPATH untouched; kept after a failed build,
# they make the retry incremental.
export GOPATH="$cache_root/go"
export GOMODCACHE="$GOPATH/pkg/mod"
export GOCACHE="$cache_root/go-build"
# -mod=mod lets the throwaway wrapper module fill in go.sum; GOTOOLCHAIN=local forbids a toolchain download.
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

staging="$(mktemp -d "$cache_root/.staging-$PULUMI_VERSION.XXXXXX")"
heartbeat_pid=""
cleanup() {
  if [[ -n "$heartbeat_pid" ]]; then kill "$heartbeat_pid" 2>/dev/null || true; fi
  rm -rf "$staging"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$staging/bin"
started=$SECONDS

# The sleep must not inherit stdout: a caller's `$(... | tail -1)` would wait for it to exit.
heartbeat() {
  while sleep 60 >/dev/null 2>&1; do log "... still building ($((SECONDS - started))s)"; done
}
heartbeat &
heartbeat_pid=$!

# Condenses go's one line per downloaded module (hundreds) into a running count.
summarize_downloads() {
  awk '/^go: downloading / { if (++n % 50 == 0) { printf "get-pulumi: ... %d modules downloaded\n", n; fflush() } next }
       { print; fflush() }
       END { if (n) printf "get-pulumi: %d modules downloaded\n", n }'
}

# go build with this script's flags; $1 = version stamped into the binary, then go build arguments.
go_build() {
  local version="$1"
  shift
  "$go_bin" build -p "$(nproc 2>/dev/null || echo 2)" -trimpath \
    -ldflags "-s -w -X $SDK_MODULE/go/common/version.Version=$version" "$@" 2>&1 | summarize_downloads >&2
  return "${PIPESTATUS[0]}"
}

# Builds the CLI into $1 from a wrapper module in its own directory.
build_cli() {
  local out_dir="$1" pkg_json pkg_gomod replaces
  mkdir -p "$staging/cli" && cd "$staging/cli"
  log "fetching $PKG_MODULE@$PULUMI_VERSION"
  pkg_json="$("$go_bin" mod download -json "$PKG_MODULE@$PULUMI_VERSION")" || die "the module proxy refused $PKG_MODULE@$PULUMI_VERSION: $pkg_json"
  pkg_gomod="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p' <<<"$pkg_json")"
  [[ -f "$pkg_gomod" ]] || die "unexpected \`go mod download -json\` output: $pkg_json"

  # `go install pkg/v3/cmd/pulumi@version` is refused because pkg's go.mod has replace directives, so
  # build from a wrapper module. Replacements pointing into the pulumi repo (../sdk) are dropped: the
  # wrapper requires sdk at the same version instead. Others (forks pulumi builds with) are kept.
  replaces="$(awk '
    /^replace[[:space:]]*\($/ { block = 1; next }
    block && /^\)/ { block = 0; next }
    block { sub(/^[[:space:]]+/, ""); print "\t" $0; next }
    /^replace[[:space:]]/ { sub(/^replace[[:space:]]+/, ""); print "\t" $0 }
  ' "$pkg_gomod" | grep -v '=>[[:space:]]*\.' || true)"
  {
    printf 'module local/get-pulumi\n\ngo %s\n\n' "$(awk '$1 == "go" { print $2; exit }' "$pkg_gomod")"
    printf 'require (\n\t%s %s\n\t%s %s\n)\n' "$PKG_MODULE" "$PULUMI_VERSION" "$SDK_MODULE" "$PULUMI_VERSION"
    if [[ -n "$replaces" ]]; then printf '\nreplace (\n%s\n)\n' "$replaces"; fi
  } >go.mod
  log "wrapper go.mod:"
  sed 's/^/get-pulumi:   /' go.mod >&2

  log "go build $PKG_MODULE/cmd/pulumi (downloads dependencies, then compiles)"
  go_build "$PULUMI_VERSION" -o "$out_dir/pulumi" "$PKG_MODULE/cmd/pulumi" || die "building pulumi failed (see above)"
  log "built pulumi ($((SECONDS - started))s)"
}

# Builds the Node.js language host into $1: the package inside sdk $NODEJS_HOST_SDK_VERSION, through a
# wrapper module that imports it (tools.go) so `go build` can address it.
build_nodejs_host() {
  local out_dir="$1"
  mkdir -p "$staging/host" && cd "$staging/host"
  printf 'module local/get-pulumi-language-nodejs\n\ngo 1.21\n\nrequire %s %s\n' \
    "$SDK_MODULE" "$NODEJS_HOST_SDK_VERSION" >go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$NODEJS_HOST_PACKAGE" >tools.go
  log "go build $NODEJS_HOST_PACKAGE@$NODEJS_HOST_SDK_VERSION (the Node.js language host)"
  go_build "$NODEJS_HOST_SDK_VERSION" -o "$out_dir/pulumi-language-nodejs" "$NODEJS_HOST_PACKAGE" ||
    die "building the Node.js language host failed (see above)"
  log "built pulumi-language-nodejs ($((SECONDS - started))s)"
}

if cli_cached; then
  # A cache from before this script built the host: add the host, keep the CLI.
  log "building the Node.js language host for the cached pulumi $PULUMI_VERSION (first run only: about a minute)"
  build_nodejs_host "$staging/bin"
  mv -f "$staging/bin/pulumi-language-nodejs" "$bin_dir/pulumi-language-nodejs"
  install_dynamic_provider_plugin "$bin_dir"
else
  log "building pulumi $PULUMI_VERSION with $("$go_bin" version | cut -d' ' -f3) (first run only: 5-10 minutes on 2 cores)"
  log "cache: $cache_root"
  build_cli "$staging/bin"
  build_nodejs_host "$staging/bin"
  install_dynamic_provider_plugin "$staging/bin"
  "$staging/bin/pulumi" version >/dev/null || die "the built pulumi does not run"
  # Atomic publish: the version directory appears complete or not at all.
  rm -rf "$staging/cli" "$staging/host"
  chmod 755 "$staging"
  rm -rf "$version_dir"
  mv -T "$staging" "$version_dir"
fi
kill "$heartbeat_pid" 2>/dev/null || true
heartbeat_pid=""
log "installed pulumi $("$bin_dir/pulumi" version) and pulumi-language-nodejs $NODEJS_HOST_SDK_VERSION in $bin_dir ($((SECONDS - started))s)"

# The module and build caches (~3 GB) only speed up a retry of a failed build; drop them once the
# binaries are in place.
cd "$cache_root"
GOFLAGS="" "$go_bin" clean -cache -modcache >/dev/null 2>&1 || chmod -R u+w "$GOPATH" 2>/dev/null || true
rm -rf "$GOPATH" "$GOCACHE"
echo "$bin_dir"
