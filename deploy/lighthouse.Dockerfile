# The lighthouse (seed node) image. Build from the repository root, tagged by version:
#   docker build -f deploy/lighthouse.Dockerfile --build-arg FANOUT_VERSION=0.1.0 -t fanout/lighthouse:0.1.0 .
ARG FANOUT_VERSION=0.1.0

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG FANOUT_VERSION
WORKDIR /repo
# Restore first, from the project files alone, so a source change does not download packages again.
COPY Directory.Build.props Directory.Packages.props ./
COPY lighthouse/Lighthouse.csproj lighthouse/
RUN dotnet restore lighthouse/Lighthouse.csproj
COPY lighthouse/ lighthouse/
RUN dotnet publish lighthouse/Lighthouse.csproj -c Release --no-restore -p:UseAppHost=false -p:InformationalVersion=${FANOUT_VERSION} -o /out

# The ASP.NET runtime image: the lighthouse references the ASP.NET shared framework.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG FANOUT_VERSION
LABEL org.opencontainers.image.title="fanout/lighthouse" \
      org.opencontainers.image.version="${FANOUT_VERSION}"
WORKDIR /app
COPY --from=build /out/ ./
# CLUSTER_IP is both the address the lighthouse binds and the host name the other members use for it,
# so it must be set to a name that resolves to this container (its compose service name, or its pod's
# DNS name in a StatefulSet); appsettings.json's 127.0.0.1 would be reachable from nowhere else.
ENV ACTORSYSTEM=fanout \
    CLUSTER_PORT=4053 \
    FANOUT_VERSION=${FANOUT_VERSION}
EXPOSE 4053
# The image's non-root user (app, UID 1654), by number so Kubernetes' runAsNonRoot can check it.
USER $APP_UID
# Exec form: the process is PID 1 and gets the SIGTERM itself (it leaves the cluster, then exits 0).
ENTRYPOINT ["dotnet", "Fanout.Lighthouse.dll"]
