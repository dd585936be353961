#!/usr/bin/env bash
# Builds the VS Code extension: installs its pinned npm packages, runs the grammar tests
# (assertions in test/*.syntax-test; snapshots of every example app's files in test/examples/),
# and packages manaknight.vsix. `./build.sh --update` rewrites the snapshots instead of
# comparing them (after a deliberate change to the grammar or to an example).
set -euo pipefail

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

update=()
[[ ${1:-} == --update ]] && update=(--updateSnapshot)

npm ci --no-audit --no-fund
npx vscode-tmgrammar-test 'test/*.syntax-test'

# The examples, copied under a name no .mnk tool reads; each has its snapshot beside it.
mkdir -p test/examples
rm -f test/examples/*.example
for f in "$root"/examples/*/*.mnk; do
    cp "$f" "test/examples/$(basename "$(dirname "$f")")-$(basename "$f" .mnk).example"
done
npx vscode-tmgrammar-snap --scope source.manaknight "${update[@]}" 'test/examples/*.example'

npx vsce package --allow-missing-repository --skip-license --out manaknight.vsix
echo "built $here/manaknight.vsix"
