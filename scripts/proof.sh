#!/usr/bin/env bash
# Render the first pages of every PDF in a build folder to PNG proofs, and the pages worth a
# close look: the title page, a chapter opening, a page with footnotes, a page with a table,
# the first figure's page and the page before it, and the page craft (a page of body text for
# its measure, a part-title page, a blank verso, the page of a closing ornament).
#
#   bash scripts/proof.sh [BUILD_DIR] [PROOF_DIR] [MAX_PAGES]     (build build/proof 12)
#
# <stem>.pdf is the print edition, <stem>-large-print.pdf the large-print edition;
# pages become PROOF_DIR/<stem>-<edition>-p<N>.png at 60 dpi, and the pages found by
# scripts/proof_pages.py (run with $PYTHON, which needs the publish package) PROOF_DIR/<stem>-<edition>-
# <title|chapter|footnotes|table|before-figure|figure|measure|part|blank|ornament>.png.
set -euo pipefail
build=${1:-build}
proof=${2:-$build/proof}
max=${3:-12}
python=${PYTHON:-python3}
here=$(dirname "${BASH_SOURCE[0]}")

shopt -s nullglob
pdfs=("$build"/*.pdf)
((${#pdfs[@]})) || { echo "no PDF in $build/: run 'make build' first" >&2; exit 1; }
mkdir -p "$proof"

for pdf in "${pdfs[@]}"; do
  name=$(basename "$pdf" .pdf)
  case $name in
    *-large-print) stem=${name%-large-print} edition=large-print ;;
    *) stem=$name edition=print ;;
  esac
  rm -f "$proof/$stem-$edition"-*.png
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  last=$((pages < max ? pages : max))
  for ((n = 1; n <= last; n++)); do
    pdftoppm -png -r 60 -f "$n" -l "$n" -singlefile "$pdf" "$proof/$stem-$edition-p$n"
  done
  if ((last)); then
    echo "== $pdf: $last of $pages pages -> $proof/$stem-$edition-p1..$last.png"
  else
    echo "== $pdf: $pages pages"
  fi
  while read -r kind page; do
    pdftoppm -png -r 60 -f "$page" -l "$page" -singlefile "$pdf" "$proof/$stem-$edition-$kind"
    echo "   $kind: page $page -> $proof/$stem-$edition-$kind.png"
  done < <("$python" "$here/proof_pages.py" "$pdf")
done
