#!/usr/bin/env bash
# long-pdf.sh N OUT: an N-page e-paper PDF (the fixture page N times, each
# page rendered by chromium with its own running header and page number),
# for the figures in README.md. Needs chromium and fonts-wqy-zenhei.
set -euo pipefail
n=${1:?pages}; out=${2:?output.pdf}
src="$(dirname "$0")/../../indexer/source/testdata/pdf/epaper.html"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
head=$(sed -n '1,/<body>/p' "$src")
cols=$(sed -n '/<div class="cols">/,/<\/body>/p' "$src" | sed '1d;$d' | sed '$d')
{
  echo "$head"
  for ((i = 0; i < n; i++)); do
    echo '<div class="cols" style="break-before:page">'; echo "$cols"; echo '</div>'
  done
  echo '</body></html>'
} > "$tmp/long.html"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$out" "$tmp/long.html" 2>/dev/null
