#!/usr/bin/env bash
# Regenerates the PDF and Word fixtures of indexer/source from the HTML
# sources beside them. Needs Debian's chromium, fonts-wqy-zenhei (a real CJK
# TrueType font: chromium embeds it as CID fonts with ToUnicode maps) and
# libreoffice-writer-nogui; Go for the hand-written OOXML file.
#   pdf/epaper.pdf     two-column e-paper page, two articles, running header
#                      with the masthead date, footer with credits and page no.
#   pdf/epaper-spans.pdf  two articles, each a centred headline and byline
#                      close above its own two columns
#   pdf/rotated.pdf    a landscape page drawn turned on a portrait page: the
#                      text runs up the page, in two columns
#   pdf/scanned.pdf    the screenshot of a page wrapped as an image-only PDF
#   pdf/unreadable-scan.pdf  an image-only page of stripes (OCR finds no text)
#   pdf/report-2010.pdf  real text: the opening 4,500 characters of the 2010
#                      government work report (../shared/realdata, public
#                      domain: PRC Copyright Law art. 5) set in two columns
#                      over 3 pages; report-2010.txt holds its paragraphs
#   pdf/encrypted.pdf  a PDF that needs a password (LibreOffice export)
#   docx/tongbao.docx  LibreOffice's Word export: Heading 1, table, title, created
#   docx/tongbao.doc   the same as legacy Word 97 (reported, not read)
#   docx/jianbao.docx  WPS-style OOXML written by docx/gen.go: 标题 1 styles,
#                      Title style masthead, table, split runs, core properties
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chrome() { chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "$@" 2>/dev/null; }
office() { HOME="$tmp/home" soffice --headless "$@" >/dev/null 2>&1; }

chrome --no-pdf-header-footer --print-to-pdf=pdf/epaper.pdf pdf/epaper.html
chrome --no-pdf-header-footer --print-to-pdf=pdf/epaper-spans.pdf pdf/epaper-spans.html
chrome --no-pdf-header-footer --print-to-pdf=pdf/rotated.pdf pdf/rotated.html
chrome --no-pdf-header-footer --print-to-pdf=pdf/report-2010.pdf pdf/report-2010.html
chrome --window-size=1240,1754 --screenshot="$tmp/scan.png" pdf/scan.html
cat > "$tmp/wrap.html" <<'HTML'
<!doctype html><html><head><style>@page{size:210mm 297mm;margin:0}body{margin:0}img{width:210mm;height:297mm;display:block}</style></head><body><img src="scan.png"></body></html>
HTML
chrome --no-pdf-header-footer --print-to-pdf=pdf/scanned.pdf "$tmp/wrap.html"
# A scan OCR cannot read: diagonal stripes, no text.
cat > "$tmp/stripes.html" <<'HTML'
<!doctype html><html><head><style>body{margin:0;width:1240px;height:1754px;background:repeating-linear-gradient(37deg,#000 0 3px,#fff 3px 11px),#fff;}</style></head><body></body></html>
HTML
chrome --window-size=1240,1754 --screenshot="$tmp/scan.png" "$tmp/stripes.html"
chrome --no-pdf-header-footer --print-to-pdf=pdf/unreadable-scan.pdf "$tmp/wrap.html"

office --convert-to 'docx:MS Word 2007 XML' --outdir docx docx/tongbao.html
office --convert-to doc --outdir docx docx/tongbao.docx
office --convert-to 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' --outdir "$tmp" docx/tongbao.html
mv "$tmp/tongbao.pdf" pdf/encrypted.pdf
(cd docx && go run gen.go)
ls -l pdf/*.pdf docx/*.doc*
