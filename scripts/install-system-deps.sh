#!/usr/bin/env bash
# System packages the tests need, from Debian: Chromium for the browser
# tests (never a downloaded browser) and LibreOffice for PDF reports,
# fonts-liberation2 for the PDF's letters, poppler-utils (pdftoppm,
# pdffonts) to render report pages to PNG and check their fonts in the tests,
# postgresql-client (pg_dump, pg_restore, psql) for `nghiquyet backup`/`restore` on PostgreSQL.
# Installs only what is missing; quick when everything is there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
# Liberation 2 (fonts-liberation2): the PDF's stand-in for Times New Roman
# with every Vietnamese letter (Liberation 1.07 lacks ư and ơ, U+01B0/U+01A1,
# and LibreOffice would take them from another font).
fc-list ':family=Liberation Serif:charset=1a1 1b0' 2>/dev/null | grep -q . || need+=(fonts-liberation2)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "Cần cài các gói hệ thống: ${need[*]} (chạy với quyền root)." >&2; exit 1; fi
else SUDO=; fi
echo "Cài gói hệ thống: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
