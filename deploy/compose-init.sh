#!/usr/bin/env bash
# Prepares docker-compose.yml's secured cluster on this host, once: a .env file beside docker-compose.yml
# with generated tokens and database passwords, and remoting certificates in deploy/certs/ (both ignored
# by git and by the image builds). Whatever already exists is kept, so running it again changes nothing;
# delete a line of .env (or a file of deploy/certs/) to have it made anew.
#
#   deploy/compose-init.sh
#   docker compose up --build -d
#
# .env gets FANOUT_API_TOKEN (operator), FANOUT_API_VIEWER_TOKEN (read only), FANOUT_DB_OWNER_PASSWORD
# (the database's owner: the migrate service) and FANOUT_DB_PASSWORD (the workers' restricted role), each
# 32 random bytes in hex. deploy/certs/ gets a CA and one certificate per node from deploy/make-certs.sh.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENV_FILE="$REPO_ROOT/.env"
CERT_DIR="$REPO_ROOT/deploy/certs"
NODES=(lighthouse worker1 worker2 worker3)

say() { printf 'compose-init: %s\n' "$*"; }
fail() { printf 'compose-init: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
    "") ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
esac
command -v openssl >/dev/null || fail "openssl is not on PATH (apt-get install openssl)"

umask 077
touch "$ENV_FILE"
chmod 600 "$ENV_FILE"
for name in FANOUT_API_TOKEN FANOUT_API_VIEWER_TOKEN FANOUT_DB_OWNER_PASSWORD FANOUT_DB_PASSWORD; do
    if grep -q "^$name=" "$ENV_FILE"; then
        say "$name: kept (in .env)"
    else
        printf '%s=%s\n' "$name" "$(openssl rand -hex 32)" >>"$ENV_FILE"
        say "$name: generated (in .env)"
    fi
done

[[ -x "$REPO_ROOT/deploy/make-certs.sh" ]] || fail "deploy/make-certs.sh is missing: it makes the remoting certificates"
"$REPO_ROOT/deploy/make-certs.sh" --out "$CERT_DIR" "${NODES[@]}"
# The containers run as UID 1654, not as you, and Docker mounts these files as they are: the ones a node
# mounts must be readable by others. The folder stays yours alone, and the CA's key is mounted nowhere.
chmod 700 "$CERT_DIR"
chmod 644 "$CERT_DIR/ca.crt" "$CERT_DIR/pfx-password"
for node in "${NODES[@]}"; do chmod 644 "$CERT_DIR/$node.pfx"; done
chmod 600 "$CERT_DIR/ca.key"
say "ready: docker compose up --build -d (the operator token: grep FANOUT_API_TOKEN= .env)"
