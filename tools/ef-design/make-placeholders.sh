#!/usr/bin/env bash
# Builds empty stand-ins for the two packages EF Core's design-time assembly lists as dependencies but
# that our NuGet source lacks. Migrations are generated without either (Mono.TextTemplating serves T4
# scaffolding templates, SolutionPersistence reads .sln files for dotnet-ef). The feed folder is ignored by git.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/feed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for spec in Mono.TextTemplating:3.0.0 Microsoft.VisualStudio.SolutionPersistence:1.0.52; do
  id=${spec%%:*}; version=${spec##*:}
  [ -f "$here/feed/${id,,}.$version.nupkg" ] && continue
  mkdir -p "$work/$id"
  cat > "$work/$id/$id.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
    <PackageId>$id</PackageId>
    <Version>$version</Version>
    <IncludeBuildOutput>false</IncludeBuildOutput>
    <NoWarn>\$(NoWarn);NU5128</NoWarn>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
  </PropertyGroup>
  <ItemGroup>
    <None Include="placeholder.txt" Pack="true" PackagePath="placeholder.txt" />
  </ItemGroup>
</Project>
PROJ
  echo "Empty stand-in, used only to generate EF Core migrations." > "$work/$id/placeholder.txt"
  (cd "$work/$id" && dotnet pack -o "$here/feed" -p:ImportDirectoryBuildProps=false >/dev/null) || { echo "packing $id failed" >&2; exit 1; }
done
