#!/usr/bin/env bash
# Install the offline bundle into a fresh folder with no package index and no
# network (CI: .ci/run), then start the product and fetch a page and a front-end file.
#     bash scripts/check-bundle.sh dist/nghiquyet-….tar.gz
set -euo pipefail
archive=$(readlink -f "$1")
work=$(mktemp -d /tmp/nq-bundle-check-XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
tar xzf "$archive" -C "$work"
dir=$(echo "$work"/nghiquyet-*)
# No pip configuration (no mirror, no find-links), and no network at all when
# this machine lets us make a namespace without one.
offline=()
if unshare -rn true 2>/dev/null; then offline=(unshare -rn); elif unshare -n true 2>/dev/null; then offline=(unshare -n); fi
env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
  "${offline[@]}" "$dir/install.sh"
export NGHIQUYET_DATA_DIR="$work/data"
"$dir/.venv/bin/nghiquyet" migrate --noinput -v 0
"$dir/.venv/bin/nghiquyet" check
port=$("$dir/.venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$dir/.venv/bin/nghiquyet" serve --port "$port" > "$work/serve.log" 2>&1 &
server=$!
"$dir/.venv/bin/python" "$dir/scripts/when-up.py" "http://127.0.0.1:$port/healthz" --timeout 120
for path in /dang-nhap/ /static/vendor/htmx/htmx.min.js /static/vendor/echarts/echarts.min.js; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")
  if [ "$code" != 200 ]; then echo "Gói cài đặt: $path trả mã $code" >&2; cat "$work/serve.log" >&2; exit 1; fi
done
echo "Gói cài đặt ngoại tuyến: cài và chạy được (không mạng, chỉ từ wheels/)."
