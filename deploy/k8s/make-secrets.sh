#!/usr/bin/env bash
# Writes the files deploy/k8s's secretGenerators read, none of which is committed, keeping any that
# exist (running it again changes nothing; delete a file to have it made anew):
#
#   deploy/k8s/make-secrets.sh [--external-db]
#
#   base/secrets/api.env              token=..., viewer-token=...  (the Secret fanout-api)
#   postgres/secrets/postgres.env     POSTGRES_PASSWORD (fanout_owner), FANOUT_DB_PASSWORD (fanout)
#   postgres/secrets/fanout-db.env    connection-string of fanout, the workers' rows-only role
#   postgres/secrets/fanout-db-owner.env  connection-string of fanout_owner, for the migration Job
#   tls/certs/                        ca.crt, ca.key, node.pfx, pfx-password (deploy/make-certs.sh)
#
# --external-db skips postgres/: you create the Secrets fanout-db and fanout-db-owner yourself.
# Tokens and passwords are 32 random bytes in hex (no character a connection string would need quoted).
set -euo pipefail

K8S="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
external_db=false
say() { printf 'make-secrets: %s\n' "$*"; }
fail() { printf 'make-secrets: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
    case "$arg" in
        --external-db) external_db=true ;;
        -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) fail "unknown argument '$arg' (see --help)" ;;
    esac
done
command -v openssl >/dev/null || fail "openssl is not on PATH (apt-get install openssl)"
umask 077

random() { openssl rand -hex 32; }

# write FILE: standard input into FILE unless it exists.
write() {
    if [[ -e "$1" ]]; then
        say "${1#"$K8S"/}: kept"
        cat >/dev/null
        return
    fi
    mkdir -p "$(dirname "$1")"
    cat >"$1"
    say "${1#"$K8S"/}: written"
}

write "$K8S/base/secrets/api.env" <<EOT
token=$(random)
viewer-token=$(random)
EOT

if ! $external_db; then
    postgres_env="$K8S/postgres/secrets/postgres.env"
    write "$postgres_env" <<EOT
POSTGRES_PASSWORD=$(random)
FANOUT_DB_PASSWORD=$(random)
EOT
    owner_password="$(sed -n 's/^POSTGRES_PASSWORD=//p' "$postgres_env")"
    app_password="$(sed -n 's/^FANOUT_DB_PASSWORD=//p' "$postgres_env")"
    [[ -n "$owner_password" && -n "$app_password" ]] || fail "$postgres_env lacks POSTGRES_PASSWORD or FANOUT_DB_PASSWORD"
    write "$K8S/postgres/secrets/fanout-db.env" <<EOT
connection-string=Host=postgres;Port=5432;Username=fanout;Password=$app_password;Database=fanout
EOT
    write "$K8S/postgres/secrets/fanout-db-owner.env" <<EOT
connection-string=Host=postgres;Port=5432;Username=fanout_owner;Password=$owner_password;Database=fanout
EOT
fi

[[ -x "$K8S/../make-certs.sh" ]] || fail "deploy/make-certs.sh is missing: it makes the remoting certificates"
if [[ -e "$K8S/tls/certs/node.pfx" ]]; then
    say "tls/certs/node.pfx: kept"
else
    "$K8S/../make-certs.sh" --out "$K8S/tls/certs" node
fi
say "ready: kubectl apply -k $K8S$($external_db && echo /external-db || true)"
