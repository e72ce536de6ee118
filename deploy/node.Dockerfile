# The worker node image, with the samples' tasks loaded. Build from the repository root:
#   docker build -f deploy/node.Dockerfile -t fanout/node:latest .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
COPY Directory.Build.props Directory.Packages.props ./
# All of src/ before the restore: the node's project references may grow, and a list of project files
# here would then break the build.
COPY src/ src/
RUN dotnet restore src/Fanout.Node/Fanout.Node.csproj \
 && dotnet restore src/Fanout.Samples/Fanout.Samples.csproj
# The samples first, then the node into the same folder: where both publish a file (Fanout.dll, ...)
# the node's copy is the one kept, and the samples' tasks load beside the runtime they were built on.
RUN dotnet publish src/Fanout.Samples/Fanout.Samples.csproj -c Release --no-restore -p:UseAppHost=false -o /out \
 && dotnet publish src/Fanout.Node/Fanout.Node.csproj -c Release --no-restore -p:UseAppHost=false -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out/ ./
# Container defaults: bind every interface, cluster port 4055, HTTP API on 8080. CLUSTER_PUBLIC_HOSTNAME
# (the name other members reach this node by) and CLUSTER_SEEDS are set per deployment.
# ASPNETCORE_HTTP_PORTS is cleared: the node binds FANOUT_HTTP_HOST:FANOUT_HTTP_PORT itself. A node run alone
# (no FANOUT_JOURNAL=postgres) keeps its SQLite file in the home of the non-root user, which it may write.
ENV ACTORSYSTEM=fanout \
    CLUSTER_IP=0.0.0.0 \
    CLUSTER_PORT=4055 \
    FANOUT_HTTP_HOST=0.0.0.0 \
    FANOUT_HTTP_PORT=8080 \
    FANOUT_TASK_ASSEMBLIES=/app/Fanout.Samples.dll \
    FANOUT_DB_PATH=/home/app/fanout-data/fanout.db \
    ASPNETCORE_HTTP_PORTS=
EXPOSE 4055 8080
# GET /health answers 200 once the node is up. The image has bash but no curl, so the check speaks
# HTTP/1.0 over bash's /dev/tcp. Kubernetes ignores this and uses the probes in deploy/k8s.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${FANOUT_HTTP_PORT:-8080} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The image's non-root user (app, UID 1654), by number so Kubernetes' runAsNonRoot can check it.
USER $APP_UID
# Exec form: the process is PID 1 and gets the SIGTERM itself (it drains, leaves the cluster, exits).
ENTRYPOINT ["dotnet", "Fanout.Node.dll"]
