#!/usr/bin/env bash
# npm run pulumi:install — builds the Pulumi CLI and its Node.js, YAML and Go language hosts from the
# Go module proxy into .tools/pulumi/bin/, for machines without the Pulumi CLI (CI, this project's dev boxes).
#
#   .tools/pulumi/bin/pulumi                          github.com/pulumi/pulumi/pkg/v3/cmd/pulumi, the version
#                                                     pinned in tools/pulumi/go.mod (go.sum checks every module)
#   .tools/pulumi/bin/pulumi-language-nodejs          the Node.js language host, pinned in
#                                                     tools/pulumi-language-nodejs/go.mod (see tools/README.md)
#   .tools/pulumi/bin/pulumi-resource-pulumi-nodejs   the launcher the engine starts for dynamic providers:
#                                                     Pulumi's own script, copied from the pinned sdk/v3 module
#   .tools/pulumi/bin/pulumi-language-yaml            the Pulumi YAML language host (github.com/pulumi/pulumi-yaml),
#                                                     pinned in tools/pulumi-language-yaml/go.mod
#   .tools/pulumi/bin/pulumi-language-go              the Go language host, pinned in tools/pulumi-language-go/go.mod
#                                                     (it builds Go programs with the `go` on PATH)
#   .tools/pulumi/bin/kaleyra-sdkgen                  tools/pulumi/sdkgen: writes sdk/ from the plugin's schema
#                                                     (npm run sdk:gen), with the CLI's pinned code generators
#
# Users with the Pulumi CLI installed never need this. Idempotent: when the binaries exist and were
# built from the current pins, it says so and exits within seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/.tools/pulumi/bin
stamp=$bin/.built-from

if ! command -v go >/dev/null 2>&1; then
    cat >&2 <<'EOF'
pulumi:install builds the Pulumi CLI from source and needs Go 1.24 or newer (https://go.dev/dl/).
Either install Go and run `npm run pulumi:install` again, or install the Pulumi CLI itself
(https://www.pulumi.com/docs/install/): the tests, the demo and the bench use a `pulumi` on PATH first.
EOF
    exit 1
fi

# What the binaries are built from: the pins, this script and the Go toolchain.
modules=(tools/pulumi tools/pulumi-language-nodejs tools/pulumi-language-yaml tools/pulumi-language-go)
outputs=(pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs pulumi-language-yaml pulumi-language-go kaleyra-sdkgen)
want=$(for m in "${modules[@]}"; do cat "$m/go.mod" "$m/go.sum"; done | cat - tools/pulumi/sdkgen/*.go "$0" <(go version) | sha256sum | cut -d' ' -f1)
current=true
for out in "${outputs[@]}"; do [[ -x $bin/$out ]] || current=false; done
if $current && [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    echo "pulumi:install: $("$bin/pulumi" version) in .tools/pulumi/bin is up to date"
    exit 0
fi

mkdir -p "$bin"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false -mod=readonly"
version_pkg=github.com/pulumi/pulumi/sdk/v3/go/common/version

# build <module dir> <package> <output name> [<module> <version package>]: the pinned version of
# <module> (default: Pulumi's sdk/v3) goes into <version package>.Version (default: sdk/v3's).
build() {
    local dir=$1 pkg=$2 out=$3 mod=${4:-github.com/pulumi/pulumi/sdk/v3} vpkg=${5:-$version_pkg} version
    version=$(cd "$dir" && go list -m -f '{{.Version}}' "$mod")
    echo "pulumi:install: building $out $version (first build: several minutes; later ones use Go's caches)"
    (cd "$dir" && go build -trimpath -tags osusergo -ldflags "-X $vpkg.Version=$version" -o "$bin/$out.tmp" "$pkg")
    mv -f "$bin/$out.tmp" "$bin/$out"
}

start=$SECONDS
build tools/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi
build tools/pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs pulumi-language-nodejs
build tools/pulumi-language-yaml github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml pulumi-language-yaml \
    github.com/pulumi/pulumi-yaml github.com/pulumi/pulumi-yaml/pkg/version
build tools/pulumi-language-go github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go pulumi-language-go
# The SDK generator of `npm run sdk:gen` (Pulumi's code generators at the CLI's pin; seconds, as
# the CLI's build has compiled them).
build tools/pulumi ./sdkgen kaleyra-sdkgen

sdk_dir=$(cd tools/pulumi && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"

echo "$want" >"$stamp"
echo "pulumi:install: $("$bin/pulumi" version) built into .tools/pulumi/bin in $((SECONDS - start)) s"
