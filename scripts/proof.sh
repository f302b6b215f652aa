#!/usr/bin/env bash
# Render the first pages of every PDF in a build folder to PNG proofs.
#
#   bash scripts/proof.sh [BUILD_DIR] [PROOF_DIR] [MAX_PAGES]     (build build/proof 12)
#
# <stem>.pdf is the print edition, <stem>-large-print.pdf the large-print edition;
# pages become PROOF_DIR/<stem>-<edition>-p<N>.png at 60 dpi.
set -euo pipefail
build=${1:-build}
proof=${2:-$build/proof}
max=${3:-12}

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
  rm -f "$proof/$stem-$edition"-p*.png
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  last=$((pages < max ? pages : max))
  for ((n = 1; n <= last; n++)); do
    pdftoppm -png -r 60 -f "$n" -l "$n" -singlefile "$pdf" "$proof/$stem-$edition-p$n"
  done
  echo "== $pdf: $last of $pages pages -> $proof/$stem-$edition-p1..$last.png"
done
