#!/usr/bin/env bash
# Installs what the documents need: AR PL UMing (light fallback), Noto Serif CJK (fallback), HanaMinB (Extension B and beyond), Fandol (仿宋/宋/黑/楷, taken out of
# Debian's texlive-lang-chinese .deb without pulling in TeX Live) into /usr/local/share/fonts/fandol,
# and poppler-utils and qpdf, which the document tests use to check the PDFs.
set -euo pipefail
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)
FANDOL=/usr/local/share/fonts/fandol
need=()
[[ -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ]] || need+=(fonts-noto-cjk)
# AR PL UMing: the characters Fandol lacks, in strokes as light as 仿宋 (Noto stays behind it).
[[ -f /usr/share/fonts/truetype/arphic/uming.ttc ]] || need+=(fonts-arphic-uming)
# HanaMinB: CJK Extension B to F, the rare characters of some personal names (王𪚥).
[[ -f /usr/share/fonts/truetype/hanazono/HanaMinB.ttf ]] || need+=(fonts-hanazono)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
if ((${#need[@]})); then
    "${SUDO[@]}" apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [[ ! -f $FANDOL/FandolFang-Regular.otf ]]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    chmod 755 "$work"
    (cd "$work" && { apt-get download texlive-lang-chinese >/dev/null 2>&1 \
        || { "${SUDO[@]}" apt-get update -qq && apt-get download texlive-lang-chinese >/dev/null; }; } \
        && dpkg-deb -x texlive-lang-chinese_*.deb x)
    "${SUDO[@]}" mkdir -p "$FANDOL"
    "${SUDO[@]}" cp "$work"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Song,Hei,Kai}-*.otf "$FANDOL"/
fi
echo "fonts ready: $FANDOL, AR PL UMing, Noto Serif CJK and HanaMinB" >&2
