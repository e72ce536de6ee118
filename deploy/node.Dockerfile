# The worker node image, and the samples image built FROM it. Build from the repository root, tagged by version:
#   docker build -f deploy/node.Dockerfile --target node         --build-arg FANOUT_VERSION=0.1.0 -t fanout/node:0.1.0 .
#   docker build -f deploy/node.Dockerfile --target node-samples --build-arg FANOUT_VERSION=0.1.0 -t fanout/node-samples:0.1.0 .
# fanout/node carries no tasks: an image of your own is built FROM it with your task assemblies, as the
# node-samples stage at the end does with the samples (deploy/README.md, "Your tasks in an image").
ARG FANOUT_VERSION=0.1.0

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG FANOUT_VERSION
WORKDIR /repo
COPY Directory.Build.props Directory.Packages.props ./
# All of src/ before the restore: the node's project references may grow, and a list of project files
# here would then break the build.
COPY src/ src/
RUN dotnet restore src/Fanout.Node/Fanout.Node.csproj \
 && dotnet restore src/Fanout.Samples/Fanout.Samples.csproj
# Each program into a folder of its own: the node image gets the node alone. The version is informational
# only, so task assemblies built against the same sources bind to the node's Fanout.dll.
RUN dotnet publish src/Fanout.Node/Fanout.Node.csproj -c Release --no-restore -p:UseAppHost=false -p:InformationalVersion=${FANOUT_VERSION} -o /out/node \
 && dotnet publish src/Fanout.Samples/Fanout.Samples.csproj -c Release --no-restore -p:UseAppHost=false -p:InformationalVersion=${FANOUT_VERSION} -o /out/samples

# --- fanout/node -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS node
ARG FANOUT_VERSION
LABEL org.opencontainers.image.title="fanout/node" \
      org.opencontainers.image.version="${FANOUT_VERSION}"
WORKDIR /app
# The program's files belong to root and are only read: the process, as app, cannot change them, and the
# root filesystem may be mounted read-only (Kubernetes' readOnlyRootFilesystem, compose's read_only).
COPY --from=build /out/node/ ./
# The one place the node writes (the SQLite journal when FANOUT_JOURNAL is not postgres), made here so a
# volume mounted on it starts out owned by app; /tmp needs a tmpfs or emptyDir on a read-only root.
RUN install -d -o "$APP_UID" -g "$APP_UID" /home/app/fanout-data
VOLUME ["/home/app/fanout-data"]
# Container defaults: bind every interface, cluster port 4055, HTTP API on 8080. CLUSTER_PUBLIC_HOSTNAME
# (the name other members reach this node by) and CLUSTER_SEEDS are set per deployment. Bound beyond
# loopback, the HTTP API refuses to start without FANOUT_API_TOKEN (or FANOUT_API_ALLOW_ANONYMOUS=true).
# ASPNETCORE_HTTP_PORTS is cleared: the node binds FANOUT_HTTP_HOST:FANOUT_HTTP_PORT itself. No
# FANOUT_TASK_ASSEMBLIES: an image built FROM this one sets it to its tasks.
ENV ACTORSYSTEM=fanout \
    CLUSTER_IP=0.0.0.0 \
    CLUSTER_PORT=4055 \
    FANOUT_HTTP_HOST=0.0.0.0 \
    FANOUT_HTTP_PORT=8080 \
    FANOUT_DB_PATH=/home/app/fanout-data/fanout.db \
    FANOUT_VERSION=${FANOUT_VERSION} \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 4055 8080
# GET /health/ready answers 200 once the node is a member with its journal and executor (no token needed).
# The image has bash but no curl, so the check speaks HTTP/1.0 over bash's /dev/tcp (plain HTTP: with
# FANOUT_HTTPS_CERTIFICATE set, override it). Kubernetes ignores this and uses the probes in deploy/k8s.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${FANOUT_HTTP_PORT:-8080} && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The image's non-root user (app, UID 1654), by number so Kubernetes' runAsNonRoot can check it.
USER $APP_UID
# Exec form: the process is PID 1 and gets the SIGTERM itself (it drains, leaves the cluster, exits).
# `migrate` as the command creates the journal's tables and exits (FANOUT_CREATE_SCHEMA=false nodes need it).
ENTRYPOINT ["dotnet", "Fanout.Node.dll"]

# --- fanout/node-samples: the node with the samples' tasks, built FROM fanout/node --------------------------
# The same three lines as a user's own image (deploy/README.md): tasks in a folder of their own, named by
# FANOUT_TASK_ASSEMBLIES. The samples need nothing the node lacks, so their .dll alone is copied.
FROM node AS node-samples
LABEL org.opencontainers.image.title="fanout/node-samples"
COPY --from=build /out/samples/Fanout.Samples.dll /app/tasks/
ENV FANOUT_TASK_ASSEMBLIES=/app/tasks/Fanout.Samples.dll
