#!/usr/bin/env bash
# Builds actionlint (github.com/rhysd/actionlint, the GitHub Actions workflow linter) from the Go
# module proxy into .tools/actionlint/bin/, at the version pinned in tools/actionlint/go.mod (go.sum
# checks every module). tests/unit/workflow.test.ts runs it on examples/github-actions/workflows/.
#
# Run by `npm run pulumi:install` (after the Pulumi CLI), and by that test itself when the binary
# is missing and Go is on PATH. Idempotent: when the binary was built from the current pins and Go,
# it says so and exits at once. A cold build takes about 20 s once the modules are downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/.tools/actionlint/bin
stamp=$bin/.built-from

if ! command -v go >/dev/null 2>&1; then
    echo "install-actionlint: needs Go 1.25 or newer (https://go.dev/dl/) to build actionlint" >&2
    exit 1
fi

want=$(cat tools/actionlint/go.mod tools/actionlint/go.sum "$0" <(go version) | sha256sum | cut -d' ' -f1)
if [[ -x $bin/actionlint && -f $stamp && $(cat "$stamp") == "$want" ]]; then
    echo "install-actionlint: $("$bin/actionlint" -version | head -n 1) in .tools/actionlint/bin is up to date"
    exit 0
fi

mkdir -p "$bin"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false -mod=readonly"
version=$(cd tools/actionlint && go list -m -f '{{.Version}}' github.com/rhysd/actionlint)
echo "install-actionlint: building actionlint $version"
(cd tools/actionlint && go build -trimpath -ldflags "-X github.com/rhysd/actionlint.version=$version" -o "$bin/actionlint.tmp" github.com/rhysd/actionlint/cmd/actionlint)
mv -f "$bin/actionlint.tmp" "$bin/actionlint"
echo "$want" >"$stamp"
echo "install-actionlint: $("$bin/actionlint" -version | head -n 1) built into .tools/actionlint/bin"
