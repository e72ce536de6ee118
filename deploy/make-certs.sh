#!/usr/bin/env bash
# Makes a CA and one certificate per cluster member for Fanout's remoting TLS (local use, tests, compose).
#   deploy/make-certs.sh [--out DIR] NAME...
# Writes DIR/ca.crt and DIR/ca.key (an existing pair is reused, so that new members join the same CA),
# DIR/NAME.pfx for each NAME (PKCS#12: key and certificate, good as TLS server and client), and
# DIR/pfx-password (the pfx files' password: FANOUT_TLS_CERTIFICATE_PASSWORD if set, else generated once).
# Give members FANOUT_TLS_CERTIFICATE=DIR/NAME.pfx, FANOUT_TLS_CERTIFICATE_PASSWORD_FILE=DIR/pfx-password and
# FANOUT_TLS_CA=DIR/ca.crt. In production, prefer certificates from your PKI or cert-manager (deploy/README.md).
set -euo pipefail

usage() { echo "usage: $0 [--out DIR] NAME..." >&2; exit 2; }

out=certs
names=()
while (($#)); do
  case "$1" in
    --out) (($# >= 2)) || usage; out="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "$0: unknown option $1" >&2; usage ;;
    *) names+=("$1"); shift ;;
  esac
done
((${#names[@]})) || usage
for name in "${names[@]}"; do
  [[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || { echo "$0: NAME '$name' must be letters, digits, '.', '_' and '-'" >&2; exit 2; }
done
command -v openssl >/dev/null || { echo "$0: openssl is not installed" >&2; exit 1; }

umask 077
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -f "$out/ca.crt" && -f "$out/ca.key" ]]; then
  echo "reusing the CA in $out/ca.crt"
elif [[ -f "$out/ca.crt" || -f "$out/ca.key" ]]; then
  echo "$0: $out has only one of ca.crt and ca.key; restore the other or remove both to make a new CA" >&2
  exit 1
else
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
    -subj "/CN=Fanout cluster CA $(date -u +%Y%m%d%H%M%S)" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$out/ca.key" -out "$out/ca.crt" 2>/dev/null
  chmod 644 "$out/ca.crt"
  echo "made a CA: $out/ca.crt"
fi

if [[ -n "${FANOUT_TLS_CERTIFICATE_PASSWORD:-}" ]]; then
  printf '%s' "$FANOUT_TLS_CERTIFICATE_PASSWORD" > "$out/pfx-password"
elif [[ ! -s "$out/pfx-password" ]]; then
  openssl rand -hex 24 > "$out/pfx-password"
fi
chmod 600 "$out/pfx-password"

for name in "${names[@]}"; do
  # Every member is both a TLS server (peers connect to it) and a client (it connects to peers).
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$name" > "$work/ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$name" \
    -keyout "$work/$name.key" -out "$work/$name.csr" 2>/dev/null
  openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.crt" -CAkey "$out/ca.key" -CAcreateserial -CAserial "$work/ca.srl" \
    -sha256 -days 825 -extfile "$work/ext" -out "$work/$name.crt" 2>/dev/null
  openssl pkcs12 -export -inkey "$work/$name.key" -in "$work/$name.crt" -name "$name" \
    -passout "file:$out/pfx-password" -out "$out/$name.pfx"
  chmod 600 "$out/$name.pfx"
  echo "made $out/$name.pfx"
done
