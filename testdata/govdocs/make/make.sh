#!/usr/bin/env bash
# Regenerates the PDF and Word documents of the dev set from the sources
# in this folder. Needs Debian's chromium and fonts-wqy-zenhei (a CJK
# TrueType font chromium embeds with ToUnicode maps, so the PDF has a text
# layer); Go for the Word document.
#   ../daqi.pdf      daqi.html printed as an A4 page: title, number line,
#                    text, signature
#   ../xinxihua.docx written by gen.go
set -euo pipefail
cd "$(dirname "$0")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-pdf-header-footer \
	--print-to-pdf=../daqi.pdf daqi.html 2>/dev/null
go run gen.go
ls -l ../daqi.pdf ../xinxihua.docx
