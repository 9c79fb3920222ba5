# infradiff in a container, as the seed ran: the host's root mounted read-only at /host, its Docker socket for
# the docker section, snapshots, diffs and the outbox in /snapshots.
#
#   docker build -t infradiff --build-arg SDK_IMAGE=<.NET 10 SDK image> --build-arg RUNTIME_IMAGE=<.NET 10 runtime image> .
#   docker run -d --name infradiff --restart unless-stopped --pid host --network host -e INFRADIFF_HOST_KERNEL=1 \
#     -v /:/host:ro -v /var/run/docker.sock:/var/run/docker.sock:ro -v /var/lib/infradiff:/snapshots \
#     --env-file .env infradiff
#
# The base images are build arguments, so a builder without a registry points them at images of its own: the
# build stage needs the .NET 10 SDK (Microsoft's dotnet/sdk:10.0 images), the final one a Debian with the .NET 10
# runtime (Microsoft's dotnet/runtime:10.0, Debian 12 based). The tests build both from a debootstrap'd Debian.
ARG SDK_IMAGE
ARG RUNTIME_IMAGE

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY nuget.config Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/ src/
# No vulnerability audit here: it needs the package source's network, which an offline builder lacks (the
# repository's own restore and tests audit the same packages).
RUN dotnet publish src/InfraDiff.Cli -c Release -o /app --nologo -p:UseAppHost=false -p:NuGetAudit=false \
    && rm -f /app/*.pdb /app/*.xml

FROM ${RUNTIME_IMAGE}
COPY --from=build /app /opt/infradiff
# The seed's settings: WEBHOOK_URL, INTERVAL and SNAPSHOT_DIR (also read from /etc/infradiff/.env or --env-file);
# INFRADIFF_ROOT is where the host's root is mounted. The hash cache and the keys live in /snapshots/.cache
# unless /var/cache/infradiff is mounted and XDG_CACHE_HOME points there.
ENV SNAPSHOT_DIR=/snapshots \
    INTERVAL=5m \
    INFRADIFF_ROOT=/host \
    XDG_CACHE_HOME=/snapshots/.cache \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /etc/infradiff
ENTRYPOINT ["dotnet", "/opt/infradiff/infradiff.dll", "watch"]
