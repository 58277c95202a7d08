# The API image; docker-compose.yml also runs it once with the `migrate` verb.
# Build context: the repository root.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig BrowserAutomation.sln ./
COPY src/ src/
# bin/obj copied from a developer's tree would carry host paths into restore and build.
RUN find src -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + \
 && dotnet publish src/BrowserAutomation.Api/BrowserAutomation.Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:3000 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 3000
# The aspnet images ship a non-root user; APP_UID is its uid.
USER $APP_UID
ENTRYPOINT ["dotnet", "BrowserAutomation.Api.dll"]
