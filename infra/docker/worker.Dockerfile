# The worker image, on Playwright's official .NET image, which carries Playwright's own
# builds of Chromium, Firefox and WebKit (under /ms-playwright) with their system libraries,
# plus the .NET 10 SDK (so also the runtime). Build context: the repository root.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig BrowserAutomation.sln ./
COPY src/ src/
# bin/obj copied from a developer's tree would carry host paths into restore and build.
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + \
 && dotnet publish src/BrowserAutomation.Worker/BrowserAutomation.Worker.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/playwright/dotnet:v1.64.1-noble
WORKDIR /app
COPY --from=build /app ./
# Natively the worker points Playwright at Debian's browser packages; here it must use the
# browsers bundled in this image (PLAYWRIGHT_BROWSERS_PATH=/ms-playwright, set by the image),
# which is also the only place WebKit can run.
ENV BROWSER_USE_BUNDLED=true \
    WORKER_ENGINES=chromium,firefox,webkit \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# The worker and its browsers run as a non-root user with a fixed numeric id, so Kubernetes' runAsNonRoot can check
# it (infra/k8s/base/worker-*.yaml run as 10001). Not root, so Chromium keeps its sandbox: the container needs the
# seccomp profile infra/seccomp/chromium-sandbox.json (docker-compose.yml and the Kubernetes manifests apply it).
RUN useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin automation
USER 10001:10001
ENTRYPOINT ["dotnet", "BrowserAutomation.Worker.dll"]
