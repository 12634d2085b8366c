#!/usr/bin/env bash
# Type-check and run only some test files, in a build folder of their own, so that
# work in progress elsewhere in src/ does not get in the way.
#   scripts/dev-test.sh NAME test/foo.test.ts [test/bar.test.ts ...] [-- mocha options]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=$1; shift
files=(); while [ $# -gt 0 ] && [ "$1" != "--" ]; do files+=("$root/$1"); shift; done
[ "${1:-}" = "--" ] && shift
out=/tmp/dev-build-$name
cfg=/tmp/tsconfig.dev-$name.json
list=$(printf '"%s",' "${files[@]}"); list=${list%,}
cat > "$cfg" <<JSON
{ "extends": "$root/tsconfig.test.json",
  "compilerOptions": { "rootDir": "$root", "outDir": "$out", "types": ["node", "mocha"], "typeRoots": ["$root/node_modules/@types"] },
  "include": [], "files": [$list] }
JSON
rm -rf "$out"
"$root/node_modules/.bin/tsc" -p "$cfg"
# Compiled tests resolve packages from the repo's node_modules through this link.
ln -sfn "$root/node_modules" "$out/node_modules"
js=(); for f in "${files[@]}"; do r=${f#"$root/"}; js+=("$out/${r%.ts}.js"); done
cd "$root" && "$root/node_modules/.bin/mocha" --no-config --timeout 120000 "$@" "${js[@]}"
