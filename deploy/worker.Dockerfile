# The worker image for compose.yaml. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# npm installs the campaign page's chart library during the build (src/HazaraMonitor.Worker/web).
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/HazaraMonitor.Worker -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
USER app
ENTRYPOINT ["dotnet", "hazaramonitor.dll"]
