#!/usr/bin/env bash
# Provides actionlint (the GitHub Actions workflow linter) and prints, as the last line of stdout,
# the path of the binary:
#
#   actionlint="$(bash scripts/get-actionlint.sh | tail -1)"
#
# An `actionlint` on PATH is used only if it is exactly $ACTIONLINT_VERSION: linters of different
# versions disagree, and CI must judge the workflows as a developer's machine does. Otherwise the
# binary is built with the Go toolchain from the Go module proxy (the only source reachable from
# machines without internet) and cached outside the clone, so fresh clones and later runs reuse it.
# Progress goes to stderr; stdout carries only the path.
#
# Environment:
#   GO              Go toolchain to use (default: `go` on PATH, else /usr/local/go/bin/go)
#   XDG_CACHE_HOME  cache root (default ~/.cache)
set -euo pipefail

readonly ACTIONLINT_VERSION="v1.7.12"
readonly ACTIONLINT_PACKAGE="github.com/rhysd/actionlint/cmd/actionlint"

cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/azure-openai-finetune/actionlint"
version_dir="$cache_root/$ACTIONLINT_VERSION"
bin="$version_dir/actionlint"

log() { printf 'get-actionlint: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# `actionlint -version` prints the version alone on its first line (e.g. "v1.7.12" or "1.7.12").
version_of() { "$1" -version 2>/dev/null | head -1 | sed 's/^v*/v/'; }

if existing="$(command -v actionlint)" && [[ "$(version_of "$existing")" == "$ACTIONLINT_VERSION" ]]; then
  log "using actionlint $ACTIONLINT_VERSION from PATH"
  echo "$existing"
  exit 0
fi

if [[ -x "$bin" && "$(version_of "$bin")" == "$ACTIONLINT_VERSION" ]]; then
  log "using cached actionlint $ACTIONLINT_VERSION"
  echo "$bin"
  exit 0
fi

go_bin="${GO:-$(command -v go || echo /usr/local/go/bin/go)}"
[[ -x "$go_bin" ]] || die "no Go toolchain at $go_bin to build actionlint $ACTIONLINT_VERSION; install Go 1.24+ or set GO=/path/to/go"

mkdir -p "$cache_root"
# Parallel CI jobs would each build; the second one waits and reuses the first one's binary.
if command -v flock >/dev/null; then
  exec 9>"$cache_root/.lock"
  flock 9
  if [[ -x "$bin" && "$(version_of "$bin")" == "$ACTIONLINT_VERSION" ]]; then
    log "using actionlint $ACTIONLINT_VERSION built by a concurrent run"
    echo "$bin"
    exit 0
  fi
fi

# A private module and build cache keep the host's GOPATH untouched; GOTOOLCHAIN=local forbids a
# toolchain download, which would fail offline anyway.
export GOPATH="$cache_root/go"
export GOMODCACHE="$GOPATH/pkg/mod"
export GOCACHE="$cache_root/go-build"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-modcacherw"

staging="$(mktemp -d "$cache_root/.staging-$ACTIONLINT_VERSION.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

started=$SECONDS
log "building actionlint $ACTIONLINT_VERSION with $("$go_bin" version | cut -d' ' -f3) (first run only: about a minute)"
GOBIN="$staging" "$go_bin" install -trimpath -ldflags "-s -w" "$ACTIONLINT_PACKAGE@$ACTIONLINT_VERSION" >&2
[[ "$(version_of "$staging/actionlint")" == "$ACTIONLINT_VERSION" ]] ||
  die "the built binary reports version \"$(version_of "$staging/actionlint")\", expected $ACTIONLINT_VERSION"

# Atomic publish: the version directory appears complete or not at all.
rm -rf "$version_dir"
mv -T "$staging" "$version_dir"
trap - EXIT
log "installed actionlint $ACTIONLINT_VERSION in $version_dir ($((SECONDS - started))s)"
echo "$bin"
