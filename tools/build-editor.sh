#!/usr/bin/env bash
# Rebuild the vendored rich-text editor (docs/editor.md) from the pinned versions in
# tools/editor/package.json + package-lock.json:
#   static/vendor/editor-squire-<squire version>.min.js  (minified IIFE, window.OTEditor)
# Needs node and npm (npm registry only). Prints the minified, gzip -9 and (if brotli is
# installed) brotli sizes, and fails if the gzipped file is over the 60 KB budget.
# node_modules stays in tools/editor/ and is git-ignored.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="$ROOT/tools/editor"
BUDGET=$((60 * 1024))

cd "$SRC"
npm ci --no-audit --no-fund --loglevel=error

ver() { node -p "require('./node_modules/$1/package.json').version"; }
SQUIRE="$(ver squire-rte)"
PURIFY="$(ver dompurify)"
ESBUILD="$(ver esbuild)"
OUT="$ROOT/static/vendor/editor-squire-$SQUIRE.min.js"
mkdir -p "$ROOT/static/vendor"

BANNER="/*! OpenTwin editor bundle, built by tools/build-editor.sh with esbuild $ESBUILD.
 squire-rte $SQUIRE: MIT licence, (c) Neil Jenkins / Fastmail, https://github.com/fastmail/Squire
 dompurify $PURIFY: Apache-2.0 or MPL-2.0, (c) Cure53 and contributors, https://github.com/cure53/DOMPurify */"

./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --banner:js="$BANNER" --outfile="$OUT" --log-level=warning

MIN=$(wc -c < "$OUT")
GZ=$(gzip -9 -c "$OUT" | wc -c)
printf 'built %s\n  minified %d bytes\n  gzip -9  %d bytes (budget %d)\n' \
  "${OUT#$ROOT/}" "$MIN" "$GZ" "$BUDGET"
if command -v brotli >/dev/null; then
  printf '  brotli   %d bytes\n' "$(brotli -c -q 11 "$OUT" | wc -c)"
fi
if [ "$GZ" -gt "$BUDGET" ]; then
  echo "over the 60 KB gzipped budget" >&2
  exit 1
fi
