#!/usr/bin/env bash
# Debian packages the project needs beyond Python.
#
#   bash scripts/system-deps.sh            # everything `make test` needs (default: test)
#   bash scripts/system-deps.sh runtime    # only what the running site needs (PDF rendering)
#
# When everything is present it only asks dpkg and exits 0 (well under a second).
# When something is missing: as root on Debian it runs `apt-get update` once and installs
# only the missing packages; otherwise it prints the exact command to run and exits 1.
# It never downloads a browser or a font any other way.
set -euo pipefail

# WeasyPrint (integrations/pdf) loads Pango and HarfBuzz through cffi at render time;
# poppler-utils' pdftoppm draws a certificate's PNG preview (cases/certificates/preview.py).
RUNTIME_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
# `manage.py backup` / `restore` (ops/backup/): age encrypts every backup file to the
# operators' public key; postgresql-client gives pg_restore and libpq (the Dockerfile adds
# the pg_dump of compose's server version beside it).
RUNTIME_PACKAGES+=(age postgresql-client)
# pdftotext to look at certificates in tests; Debian's Chromium for browser tests.
# No font package: pages and certificates use the Vazirmatn files in static/fonts/.
TEST_PACKAGES=("${RUNTIME_PACKAGES[@]}" chromium)
# clamd and sigtool: the upload virus-scanner tests start their own clamd
# (tests/integrations/antivirus/).
TEST_PACKAGES+=(clamav clamav-daemon)
# wrk: the load generator of the benchmark suite (bench/load.py), run in smoke size by make test.
TEST_PACKAGES+=(wrk)
# SoftHSM2: a PKCS#11 token on disk, so the HSM signing tests use a real PKCS#11 module
# (tests/integrations/signing/); softhsm2-util makes the token.
TEST_PACKAGES+=(softhsm2)
# initdb/pg_ctl/pg_basebackup: the backup drill and the point-in-time recovery test start
# their own PostgreSQL (tests/ops/backup/), as the fault tests do.
TEST_PACKAGES+=(postgresql)

say() { printf 'system-deps: %s\n' "$*"; }
die() { printf 'system-deps: ERROR: %s\n' "$*" >&2; exit 1; }

case "${1:-test}" in
  runtime) wanted=("${RUNTIME_PACKAGES[@]}") ;;
  test) wanted=("${TEST_PACKAGES[@]}") ;;
  *) die "unknown group '${1}': use 'runtime' or 'test'" ;;
esac

if ! command -v dpkg >/dev/null 2>&1; then
  # Not Debian: nothing here can check or install; say what the Debian names are.
  say "no dpkg on this machine; install the equivalents of: ${wanted[*]}" >&2
  exit 0
fi

# `dpkg -s` also succeeds for a removed package whose config files remain, so the
# status line must say "install ok installed".
is_installed() {
  dpkg -s "$1" 2>/dev/null | grep -qx 'Status: install ok installed'
}

missing=()
for package in "${wanted[@]}"; do
  is_installed "$package" || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

command_line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  printf 'system-deps: missing Debian packages: %s\n' "${missing[*]}" >&2
  printf 'system-deps: run:  sudo apt-get update && sudo %s\n' "$command_line" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
say "installing ${missing[*]}"
apt-get update >"$log" 2>&1 || { tail -n 20 "$log" >&2; die "apt-get update failed"; }
apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}" \
  >>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "$command_line failed"; }

for package in "${missing[@]}"; do
  is_installed "$package" || die "$package is still not installed"
done
say "installed ${missing[*]}"
