#!/usr/bin/env bash
# Run once by the postgres image on its first start (/docker-entrypoint-initdb.d/), as POSTGRES_USER, the
# database's owner: makes the role the Fanout workers connect as, which may read and write rows of the
# tables the owner creates (`fanout-node migrate`) but may create nothing. docker-compose.yml and
# deploy/k8s/postgres mount it; on a database of your own, run the same statements (deploy/README.md).
#
# Environment: POSTGRES_USER and POSTGRES_DB (the image's), FANOUT_DB_PASSWORD (the workers' password),
# FANOUT_DB_USER (the workers' role, default fanout). psql's own PG* variables say where to connect.
set -euo pipefail

: "${POSTGRES_USER:?POSTGRES_USER (the owner) is not set}"
: "${POSTGRES_DB:?POSTGRES_DB is not set}"
: "${FANOUT_DB_PASSWORD:?FANOUT_DB_PASSWORD (the workers role password) is not set}"
app_role="${FANOUT_DB_USER:-fanout}"

# psql's :"name" and :'value' quote the role as an identifier and the password as a literal.
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner="$POSTGRES_USER" -v db="$POSTGRES_DB" -v app="$app_role" -v app_password="$FANOUT_DB_PASSWORD" <<'SQL'
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
-- Only the owner creates objects: PostgreSQL 15 already withholds CREATE on public; older servers do not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app";
GRANT USAGE ON SCHEMA public TO :"app";
-- Tables and sequences the owner makes later (migrate) are the workers' to read and write, nothing more.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO :"app";
-- And those made before this ran, if any.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app";
SQL
echo "init-restricted-role: role $app_role may read and write the rows of $POSTGRES_DB's tables, and create none"
