#!/usr/bin/env bash
# Copies the Natural Earth 1:110m country shapes (TopoJSON) from the world-atlas npm package
# into web/world-110m.json, which the server embeds. Natural Earth data is public domain;
# the world-atlas packaging is ISC-licensed (Copyright 2013-2019 Michael Bostock).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack world-atlas@2.0.2 >/dev/null && tar xzf world-atlas-2.0.2.tgz)
cp "$tmp/package/countries-110m.json" web/world-110m.json
echo "web/world-110m.json: $(wc -c < web/world-110m.json) bytes from world-atlas 2.0.2"
