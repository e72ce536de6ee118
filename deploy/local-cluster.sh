#!/usr/bin/env bash
# A Fanout cluster as processes on loopback: one lighthouse and N workers, configured by the same
# environment variables as the containers (see deploy/README.md).
#
#   deploy/local-cluster.sh [start] [--workers N] [--free-ports] [--detach] [--no-build]
#   deploy/local-cluster.sh stop
#   deploy/local-cluster.sh --smoke [--workers N]
#
# start (the default) builds the lighthouse, the node and the samples (Release), starts them, waits
# for every node, prints the HTTP API's URLs, then waits for Ctrl-C (or, with --detach, returns and
# leaves them running). Ctrl-C or `deploy/local-cluster.sh stop` sends SIGTERM to the workers, waits for
# them to leave the cluster, then does the same for the lighthouse.
#
# --smoke starts a cluster on free ports in a folder of its own, starts a run of large_fanout.main
# with input 50 through the first worker, polls it through the last worker until it has succeeded,
# stops the cluster, and exits 0 (or 1 with what it saw and the nodes' logs).
#
# The journal is PostgreSQL when FANOUT_CONNECTION_STRING is set (Npgsql form), else one SQLite file
# that the workers share (for trying it out only).
#
# Ports: the lighthouse on 4053, worker i on 4054+i (cluster) and 8080+i (HTTP): 4055/8081, 4056/8082...
# --free-ports (implied by --smoke) picks free ports instead.
#
# Environment: FANOUT_LOCAL_DIR (logs, pids and the SQLite file; default $TMPDIR/fanout-local-cluster,
# or a new temporary folder for --smoke), FANOUT_LOCAL_START_TIMEOUT (seconds to wait for the nodes,
# default 120), FANOUT_SMOKE_TIMEOUT (seconds to wait for the smoke run, default 120), and any of the
# nodes' own variables not set here (CLUSTER_ROLES, ...), which the nodes inherit.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACTOR_SYSTEM="${ACTORSYSTEM:-fanout}"
START_TIMEOUT="${FANOUT_LOCAL_START_TIMEOUT:-120}"
SMOKE_TIMEOUT="${FANOUT_SMOKE_TIMEOUT:-120}"
STOP_TIMEOUT=45
SMOKE_TASK="large_fanout.main"
SMOKE_INPUT=50

command_name="start"
workers=2
free_ports=false
detach=false
build=true

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

say() { printf 'local-cluster: %s\n' "$*"; }
fail() { printf 'local-cluster: %s\n' "$*" >&2; exit 1; }

while (($# > 0)); do
    case "$1" in
        start) command_name="start" ;;
        stop) command_name="stop" ;;
        --smoke) command_name="smoke" ;;
        --workers)
            (($# >= 2)) || fail "--workers needs a number"
            workers="$2"
            shift ;;
        --workers=*) workers="${1#--workers=}" ;;
        --free-ports) free_ports=true ;;
        --detach) detach=true ;;
        --no-build) build=false ;;
        -h | --help) usage; exit 0 ;;
        *) fail "unknown argument '$1' (see --help)" ;;
    esac
    shift
done
[[ "$workers" =~ ^[0-9]+$ ]] && ((workers <= 50)) || fail "--workers must be a number from 0 to 50, not '$workers'"

if [[ "$command_name" == "smoke" ]]; then
    ((workers >= 1)) || fail "--smoke needs at least one worker"
    free_ports=true
    detach=false
    STATE_DIR="${FANOUT_LOCAL_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/fanout-smoke.XXXXXX")}"
else
    STATE_DIR="${FANOUT_LOCAL_DIR:-${TMPDIR:-/tmp}/fanout-local-cluster}"
fi
LOG_DIR="$STATE_DIR/logs"
PID_DIR="$STATE_DIR/pids"
NODES_FILE="$STATE_DIR/nodes"   # one line per node: name pid

# --- processes ---------------------------------------------------------------------------------------

# True while the process runs (a zombie, ended but not yet reaped, counts as ended).
alive() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat%% *}" != "Z" ]]
}

# True when pid is alive and is the dotnet process running this dll (not a reused pid).
is_node() {
    alive "$1" && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$2"
}

# start_node NAME DLL [VAR=VALUE...]: starts `dotnet DLL` with those variables in a session of its
# own (so a Ctrl-C in this terminal reaches only this script, which then stops the nodes in order),
# output to $LOG_DIR/NAME.log; records NAME and its pid.
start_node() {
    local name="$1" dll="$2" pid_file="$PID_DIR/$1.pid"
    shift 2
    rm -f "$pid_file"
    # The inner shell records its own pid, then becomes the dotnet process (exec keeps the pid).
    env "$@" setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec dotnet "$1"' "$pid_file" "$dll" \
        </dev/null >"$LOG_DIR/$name.log" 2>&1 &
    local deadline=$((SECONDS + 10))
    until [[ -s "$pid_file" ]]; do
        ((SECONDS < deadline)) || fail "$name did not start (see $LOG_DIR/$name.log)"
        sleep 0.05
    done
    echo "$name $(cat "$pid_file") $dll" >>"$NODES_FILE"
}

# Sends SIGTERM to the named nodes at once, then waits for each to end (SIGKILL after STOP_TIMEOUT s).
terminate() {
    local -a pids=() dlls=() names=()
    local name pid dll
    while read -r name pid dll; do
        for wanted in "$@"; do
            if [[ "$name" == "$wanted" ]] && is_node "$pid" "$dll"; then
                names+=("$name"); pids+=("$pid"); dlls+=("$dll")
                kill -TERM "$pid" 2>/dev/null || true
            fi
        done
    done <"$NODES_FILE"
    ((${#pids[@]} > 0)) || return 0
    say "SIGTERM to ${names[*]}; waiting for them to leave the cluster"
    local deadline=$((SECONDS + STOP_TIMEOUT)) i
    for i in "${!pids[@]}"; do
        while is_node "${pids[$i]}" "${dlls[$i]}" && ((SECONDS < deadline)); do sleep 0.2; done
        if is_node "${pids[$i]}" "${dlls[$i]}"; then
            say "${names[$i]} still running after ${STOP_TIMEOUT} s: SIGKILL"
            kill -KILL "${pids[$i]}" 2>/dev/null || true
        fi
        # Reaps it when this shell started it; a node started by another invocation is not its child.
        wait "${pids[$i]}" 2>/dev/null || true
    done
}

stop_all() {
    [[ -f "$NODES_FILE" ]] || return 0
    local -a worker_names=()
    local name rest
    while read -r name rest; do
        [[ "$name" == lighthouse ]] || worker_names+=("$name")
    done <"$NODES_FILE"
    ((${#worker_names[@]} == 0)) || terminate "${worker_names[@]}"
    terminate lighthouse
    rm -f "$NODES_FILE"
}

any_running() {
    [[ -f "$NODES_FILE" ]] || return 1
    local name pid dll
    while read -r name pid dll; do
        is_node "$pid" "$dll" && return 0
    done <"$NODES_FILE"
    return 1
}

# --- ports -------------------------------------------------------------------------------------------

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

picked_ports=" "
pick_port() {
    local fixed="$1" port tries=0
    if ! $free_ports; then
        port_in_use "$fixed" && fail "port $fixed is in use (another cluster? try --free-ports or 'stop')"
        echo "$fixed"
        return
    fi
    while :; do
        port=$((20000 + RANDOM % 12000))
        if [[ "$picked_ports" != *" $port "* ]] && ! port_in_use "$port"; then
            echo "$port"
            return
        fi
        tries=$((tries + 1))
        ((tries < 500)) || fail "found no free port"
    done
}

# --- build -------------------------------------------------------------------------------------------

# Builds the project (Release) and prints the path of the dll it makes.
build_project() {
    local project="$REPO_ROOT/$1"
    [[ -f "$project" ]] || fail "$1 does not exist in $REPO_ROOT"
    if $build; then
        if ! dotnet build "$project" -c Release -nologo >>"$LOG_DIR/build.log" 2>&1; then
            tail -n 30 "$LOG_DIR/build.log" >&2
            fail "building $1 failed (the whole log: $LOG_DIR/build.log)"
        fi
    fi
    local dll
    dll="$(dotnet msbuild "$project" -nologo -getProperty:TargetPath -p:Configuration=Release)"
    [[ -f "$dll" ]] || fail "$dll is missing after the build of $1"
    echo "$dll"
}

# --- waiting -----------------------------------------------------------------------------------------

print_log_tails() {
    local log
    for log in "$LOG_DIR"/*.log; do
        [[ -f "$log" && "$log" != */build.log ]] || continue
        printf '\n==> %s (last 40 lines) <==\n' "$log" >&2
        tail -n 40 "$log" >&2
    done
}

wait_until_up() {
    local deadline=$((SECONDS + START_TIMEOUT)) name pid dll http
    while read -r name pid dll; do
        http="${http_port[$name]:-}"
        while :; do
            is_node "$pid" "$dll" || { print_log_tails; fail "$name exited during start (log: $LOG_DIR/$name.log)"; }
            if [[ -z "$http" ]]; then
                grep -q "lighthouse up:" "$LOG_DIR/$name.log" 2>/dev/null && break
            else
                curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$http/health" 2>/dev/null && break
            fi
            if ((SECONDS >= deadline)); then
                print_log_tails
                fail "$name was not up within $START_TIMEOUT s (log: $LOG_DIR/$name.log)"
            fi
            sleep 0.25
        done
        say "$name up"
    done <"$NODES_FILE"
}

# --- JSON, by text (the answers are small and flat at the keys read here) --------------------------------

# json_value KEY: the first "KEY": "value" (or a bare number) in standard input.
json_value() {
    tr -d '\n' | grep -o "\"$1\"[[:space:]]*:[[:space:]]*\(\"[^\"]*\"\|[0-9][0-9]*\)" | head -n 1 |
        sed -e 's/^[^:]*:[[:space:]]*//' -e 's/^"//' -e 's/"$//'
}

# --- commands ----------------------------------------------------------------------------------------

if [[ "$command_name" == "stop" ]]; then
    if ! any_running; then
        say "no cluster running from $STATE_DIR"
        rm -f "$NODES_FILE"
        exit 0
    fi
    stop_all
    say "stopped"
    exit 0
fi

command -v dotnet >/dev/null || fail "dotnet is not on PATH (install the .NET 10 SDK)"
command -v curl >/dev/null || fail "curl is not on PATH (apt-get install curl)"
command -v setsid >/dev/null || fail "setsid is not on PATH (it comes with util-linux)"

mkdir -p "$STATE_DIR"
if any_running; then
    fail "a cluster from $STATE_DIR is running: stop it first ($0 stop)"
fi
rm -rf "$LOG_DIR" "$PID_DIR" "$NODES_FILE"
mkdir -p "$LOG_DIR" "$PID_DIR" "$STATE_DIR/data"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

cleanup_on_exit=true
on_exit() {
    local code=$?
    if $cleanup_on_exit; then stop_all; fi
    exit "$code"
}
trap on_exit EXIT
# An interrupted smoke test has not passed; an interrupted cluster was simply stopped.
interrupted_code=0
[[ "$command_name" != "smoke" ]] || interrupted_code=1
trap 'say "interrupted: stopping the cluster"; exit "$interrupted_code"' INT TERM

if $build; then
    say "building (Release; log: $LOG_DIR/build.log)"
fi
lighthouse_dll="$(build_project lighthouse/Lighthouse.csproj)"
if ((workers > 0)); then
    node_dll="$(build_project src/Fanout.Node/Fanout.Node.csproj)"
    samples_dll="$(build_project src/Fanout.Samples/Fanout.Samples.csproj)"
    # The web app sample's tasks (README "Use it in your app"), so the app can start reports on this cluster.
    reports_dll="$(build_project src/Fanout.Samples.Reports/Fanout.Samples.Reports.csproj)"
fi

declare -A http_port=()
journal=()
if [[ -n "${FANOUT_CONNECTION_STRING:-}" ]]; then
    journal=(FANOUT_JOURNAL=postgres "FANOUT_CONNECTION_STRING=$FANOUT_CONNECTION_STRING")
    journal_text="PostgreSQL (FANOUT_CONNECTION_STRING)"
else
    journal=(FANOUT_JOURNAL=sqlite "FANOUT_DB_PATH=$STATE_DIR/data/fanout.db")
    journal_text="SQLite at $STATE_DIR/data/fanout.db"
    say "journal: one SQLite file shared by the workers: for trying it out only; set FANOUT_CONNECTION_STRING for PostgreSQL"
fi

lighthouse_port="$(pick_port 4053)"
picked_ports+="$lighthouse_port "
seed="akka.tcp://$ACTOR_SYSTEM@127.0.0.1:$lighthouse_port"
start_node lighthouse "$lighthouse_dll" \
    "ACTORSYSTEM=$ACTOR_SYSTEM" CLUSTER_IP=127.0.0.1 "CLUSTER_PORT=$lighthouse_port" "CLUSTER_SEEDS=$seed"

for ((i = 1; i <= workers; i++)); do
    cluster_port="$(pick_port $((4054 + i)))"
    picked_ports+="$cluster_port "
    http="$(pick_port $((8080 + i)))"
    picked_ports+="$http "
    http_port["worker$i"]="$http"
    start_node "worker$i" "$node_dll" \
        "ACTORSYSTEM=$ACTOR_SYSTEM" CLUSTER_IP=127.0.0.1 CLUSTER_PUBLIC_HOSTNAME=127.0.0.1 \
        "CLUSTER_PORT=$cluster_port" "CLUSTER_SEEDS=$seed" \
        "FANOUT_TASK_ASSEMBLIES=$samples_dll,$reports_dll" "${journal[@]}" \
        FANOUT_HTTP_HOST=127.0.0.1 "FANOUT_HTTP_PORT=$http"
done

say "logs: $LOG_DIR"
say "waiting for the nodes (up to $START_TIMEOUT s)"
wait_until_up

say "cluster up: lighthouse $seed, $workers worker(s), journal: $journal_text"
for ((i = 1; i <= workers; i++)); do
    say "worker$i HTTP API: http://127.0.0.1:${http_port[worker$i]}/ (GET /health, GET /tasks, POST /runs, GET /runs/{id})"
done

if [[ "$command_name" == "smoke" ]]; then
    first="http://127.0.0.1:${http_port[worker1]}"
    last="http://127.0.0.1:${http_port[worker$workers]}"
    request="{\"task\":\"$SMOKE_TASK\",\"input\":$SMOKE_INPUT}"
    say "smoke: POST $first/runs $request"
    answer="$(curl -sS -m 30 -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' -d "$request" "$first/runs")" ||
        { print_log_tails; fail "smoke: POST /runs failed"; }
    status_code="${answer##*$'\n'}"
    body="${answer%$'\n'*}"
    run_id="$(printf '%s' "$body" | json_value runId)"
    if [[ ! "$status_code" =~ ^20[012]$ || -z "$run_id" ]]; then
        print_log_tails
        fail "smoke: POST /runs answered $status_code: $body"
    fi
    say "smoke: run $run_id started; polling $last/runs/$run_id (up to $SMOKE_TIMEOUT s)"
    deadline=$((SECONDS + SMOKE_TIMEOUT))
    while :; do
        body="$(curl -sS -m 10 "$last/runs/$run_id" 2>&1)" || true
        status="$(printf '%s' "$body" | json_value status)"
        case "${status,,}" in
            succeeded)
                say "smoke: run $run_id succeeded: $body"
                break ;;
            failed | cancelled | canceled)
                print_log_tails
                fail "smoke: run $run_id ended $status: $body" ;;
        esac
        if ((SECONDS >= deadline)); then
            print_log_tails
            fail "smoke: run $run_id had not succeeded after $SMOKE_TIMEOUT s; GET /runs/$run_id: $body"
        fi
        sleep 0.5
    done
    stop_all
    cleanup_on_exit=false
    if [[ -z "${FANOUT_LOCAL_DIR:-}" ]]; then rm -rf "$STATE_DIR"; fi
    say "smoke: passed"
    exit 0
fi

say "start a run: curl -s -X POST http://127.0.0.1:${http_port[worker1]:-PORT}/runs -H 'Content-Type: application/json' -d '{\"task\":\"$SMOKE_TASK\",\"input\":$SMOKE_INPUT}'"

if $detach; then
    cleanup_on_exit=false
    say "running in the background; stop with: $0 stop${FANOUT_LOCAL_DIR:+ (with FANOUT_LOCAL_DIR=$FANOUT_LOCAL_DIR)}"
    exit 0
fi

say "Ctrl-C (or '$0 stop' elsewhere) stops the cluster"
# Until a signal, or until every node has ended on its own.
while any_running; do
    sleep 1 &
    wait $! || true
done
say "every node has ended (logs: $LOG_DIR)"
