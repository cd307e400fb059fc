using System.Text.Json.Serialization;

namespace PayTrack.KronosSimulator.Notion;

/// <summary>
/// The Notion side of the simulator's back door, under /_sim/notion (not part of Notion's API): integrations made on
/// demand, a token revoked or a page unshared, faults for the next requests, what each token sent, and every page a
/// data source holds, to check what a client wrote.
/// </summary>
internal static class NotionBackdoor
{
    public sealed record NewIntegration(
        [property: JsonPropertyName("token")] string? Token,
        [property: JsonPropertyName("page_title")] string? PageTitle);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var sim = endpoints.MapGroup("/_sim/notion");
        sim.MapPost("/integrations", (NewIntegration? request, NotionWorkspace workspace) =>
        {
            var (token, pageId) = workspace.AddIntegration(request?.Token, null, request?.PageTitle ?? "PayTrack");
            return TypedResults.Ok(new { token, page_id = pageId });
        });
        sim.MapPost("/integrations/{token}/revoke", (string token, NotionWorkspace workspace) =>
            workspace.Revoke(token) ? Results.NoContent() : Results.NotFound());
        sim.MapPost("/integrations/{token}/unshare/{pageId}", (string token, string pageId, NotionWorkspace workspace) =>
            workspace.Unshare(token, pageId) ? Results.NoContent() : Results.NotFound());
        sim.MapPost("/faults", (NotionFault fault, NotionWorkspace workspace) =>
        {
            workspace.AddFault(fault);
            return TypedResults.NoContent();
        });
        sim.MapGet("/integrations/{token}/requests", (string token, NotionWorkspace workspace) => TypedResults.Ok(workspace.Requests(token)));
        sim.MapDelete("/integrations/{token}/requests", (string token, NotionWorkspace workspace) =>
        {
            workspace.ClearRequests(token);
            return TypedResults.NoContent();
        });
        sim.MapGet("/data_sources/{id}/pages", (string id, NotionWorkspace workspace) =>
            NotionWorkspace.TryNormalizeId(id, out var normalized) ? Results.Ok(workspace.Dump(normalized)) : Results.NotFound());
    }
}
