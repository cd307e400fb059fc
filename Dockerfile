# PayTrack: browser libraries from npm, .NET build, then two small runtime images:
#   target "web"       the PayTrack host (default)
#   target "simulator" the Kronos simulator used by the demo
# No "# syntax=" line: BuildKit then uses its built-in frontend and builds with no registry but the base images'.
# Node 24 is an LTS line supported until 2028 (Node 20's support ended on 2026-04-30).
FROM node:24-bookworm-slim AS assets
WORKDIR /src/src/PayTrack.Web
COPY src/PayTrack.Web/package.json src/PayTrack.Web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p wwwroot/lib/apexcharts \
 && cp node_modules/apexcharts/dist/apexcharts.esm.js node_modules/apexcharts/dist/apexcharts.css wwwroot/lib/apexcharts/

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json nuget.config Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/PayTrack.Web/PayTrack.Web.csproj src/PayTrack.Web/
COPY src/PayTrack.KronosSimulator/PayTrack.KronosSimulator.csproj src/PayTrack.KronosSimulator/
RUN dotnet restore src/PayTrack.Web/PayTrack.Web.csproj \
 && dotnet restore src/PayTrack.KronosSimulator/PayTrack.KronosSimulator.csproj
COPY src/ src/
# The demo account is loaded from this backup, embedded in PayTrack.Web.dll.
COPY seed-data/ seed-data/
COPY --from=assets /src/src/PayTrack.Web/wwwroot/lib src/PayTrack.Web/wwwroot/lib
RUN dotnet publish src/PayTrack.Web/PayTrack.Web.csproj -c Release -o /app/web --no-restore -p:SkipNpmAssets=true \
 && dotnet publish src/PayTrack.KronosSimulator/PayTrack.KronosSimulator.csproj -c Release -o /app/simulator --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
EXPOSE 8080
WORKDIR /app

FROM runtime AS simulator
COPY --from=build /app/simulator .
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/ || exit 1
ENTRYPOINT ["dotnet", "PayTrack.KronosSimulator.dll"]

FROM runtime AS web
COPY --from=build /app/web .
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "PayTrack.Web.dll"]
