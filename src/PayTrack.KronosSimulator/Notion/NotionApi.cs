using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace PayTrack.KronosSimulator.Notion;

/// <summary>
/// The subset of Notion's public API that PayTrack uses, under /v1 (docs/notion-contract.md): pages, databases with
/// their data source, data source queries with filters and cursor paging, the child blocks of a page, with Notion's
/// version header, bearer tokens, error objects and its rate limit per token.
/// </summary>
public static class NotionApi
{
    private const int MaxPageSize = 100;

    public static WebApplicationBuilder AddNotionSimulator(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotionSimOptions>().BindConfiguration(NotionSimOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<NotionWorkspace>();
        return builder;
    }

    public static IEndpointRouteBuilder MapNotionApi(this IEndpointRouteBuilder endpoints, bool testEndpoints)
    {
        var v1 = endpoints.MapGroup("/v1");
        v1.MapGet("/pages/{id}", (HttpContext c, NotionWorkspace w, string id) => ServeAsync(c, w, (i, _) => RetrievePage(w, i, id)));
        v1.MapPost("/pages", (HttpContext c, NotionWorkspace w) => ServeAsync(c, w, (i, body) => CreatePage(w, i, body)));
        v1.MapMethods("/pages/{id}", ["PATCH"], (HttpContext c, NotionWorkspace w, string id) => ServeAsync(c, w, (i, body) => UpdatePage(w, i, id, body)));
        v1.MapGet("/blocks/{id}/children", (HttpContext c, NotionWorkspace w, string id) => ServeAsync(c, w, (i, _) => ChildBlocks(w, i, id, c.Request.Query)));
        v1.MapPost("/databases", (HttpContext c, NotionWorkspace w) => ServeAsync(c, w, (i, body) => CreateDatabase(w, i, body)));
        v1.MapGet("/databases/{id}", (HttpContext c, NotionWorkspace w, string id) => ServeAsync(c, w, (i, _) => RetrieveDatabase(w, i, id)));
        v1.MapGet("/data_sources/{id}", (HttpContext c, NotionWorkspace w, string id) => ServeAsync(c, w, (i, _) => RetrieveDataSource(w, i, id)));
        v1.MapPost("/data_sources/{id}/query", (HttpContext c, NotionWorkspace w, string id) => ServeAsync(c, w, (i, body) => Query(w, i, id, body)));
        if (testEndpoints)
        {
            NotionBackdoor.Map(endpoints);
        }

        return endpoints;
    }

    /// <summary>Version, token, rate limit and faults, then the call itself under the workspace's lock.</summary>
    private static async Task ServeAsync(HttpContext context, NotionWorkspace workspace, Func<SimIntegration, JsonObject?, SimResult> call)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var (integration, result, fault) = Admit(context, workspace, path);
        if (result is null && integration is not null)
        {
            JsonObject? body = null;
            if (request.ContentLength is > 0 || request.Method != HttpMethods.Get)
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var text = await reader.ReadToEndAsync(context.RequestAborted);
                try
                {
                    body = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
                }
                catch (JsonException)
                {
                    result = SimResult.Error(StatusCodes.Status400BadRequest, "invalid_json", "Error parsing JSON body.");
                }
            }

            if (result is null)
            {
                lock (workspace.Gate)
                {
                    result = call(integration, body);
                }

                if (fault is not null)
                {
                    result = FaultResult(context, fault);
                    if (fault.HoldMs > 0)
                    {
                        try
                        {
                            await Task.Delay(fault.HoldMs, context.RequestAborted);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                }
            }
        }

        if (integration is not null)
        {
            lock (workspace.Gate)
            {
                integration.Log.Add(new NotionRequestRecord(workspace.ElapsedMs, request.Method, path, result!.Status));
            }
        }

        context.Response.StatusCode = result!.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(result.Body.ToJsonString(), context.RequestAborted);
    }

    private static (SimIntegration? Integration, SimResult? Result, NotionFault? LateFault) Admit(HttpContext context, NotionWorkspace workspace, string path)
    {
        var version = context.Request.Headers["Notion-Version"].ToString();
        if (version.Length == 0)
        {
            return (null, SimResult.Error(StatusCodes.Status400BadRequest, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`."), null);
        }

        if (!string.Equals(version, workspace.Version, StringComparison.Ordinal))
        {
            return (null, SimResult.Invalid($"Notion-Version header failed validation: this simulator speaks {workspace.Version}, not {version}."), null);
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..] : "";
        var integration = workspace.Integration(token);
        if (integration is null || integration.Revoked)
        {
            // A revoked token's requests are still counted, so a test can see that a client stopped sending them.
            return (integration, SimResult.Error(StatusCodes.Status401Unauthorized, "unauthorized", "API token is invalid."), null);
        }

        lock (workspace.Gate)
        {
            var wait = workspace.TakeFromBucket(integration);
            if (wait > 0)
            {
                context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                return (integration, SimResult.Error(StatusCodes.Status429TooManyRequests, "rate_limited", "You have been rate limited. Please try again in a few minutes."), null);
            }

            var fault = NotionWorkspace.TakeFault(integration, context.Request.Method, path);
            return fault switch
            {
                null => (integration, null, null),
                { AfterProcessing: true } => (integration, null, fault),
                _ => (integration, FaultResult(context, fault), null),
            };
        }
    }

    private static SimResult FaultResult(HttpContext context, NotionFault fault)
    {
        if (fault.RetryAfter is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return SimResult.Error(fault.Status, fault.Code, "Simulated fault: " + fault.Code);
    }

    private static SimResult RetrievePage(NotionWorkspace workspace, SimIntegration integration, string rawId)
    {
        if (!NotionWorkspace.TryNormalizeId(rawId, out var id))
        {
            return SimResult.Invalid($"path failed validation: path.page_id should be a valid uuid, instead was `\"{rawId}\"`.");
        }

        return workspace.VisiblePage(integration, id) is { } page ? SimResult.Ok(NotionJson.Page(page)) : SimResult.NotFound(id);
    }

    private static SimResult CreatePage(NotionWorkspace workspace, SimIntegration integration, JsonObject? body)
    {
        var parent = body?["parent"];
        var sourceId = parent?["data_source_id"]?.GetValue<string>();
        if (!NotionWorkspace.TryNormalizeId(sourceId, out var id))
        {
            return SimResult.Invalid("body.parent.data_source_id should be a valid uuid (this simulator creates pages in data sources only).");
        }

        if (workspace.VisibleDataSource(integration, id) is not { } source)
        {
            return SimResult.NotFound(id);
        }

        var (values, problem) = NotionJson.Values(source, body!["properties"] as JsonObject);
        if (problem is not null)
        {
            return SimResult.Invalid(problem);
        }

        return SimResult.Ok(NotionJson.Page(workspace.CreatePage(source, values!)));
    }

    private static SimResult UpdatePage(NotionWorkspace workspace, SimIntegration integration, string rawId, JsonObject? body)
    {
        if (!NotionWorkspace.TryNormalizeId(rawId, out var id))
        {
            return SimResult.Invalid($"path failed validation: path.page_id should be a valid uuid, instead was `\"{rawId}\"`.");
        }

        if (workspace.VisiblePage(integration, id) is not { } page)
        {
            return SimResult.NotFound(id);
        }

        if (body?["properties"] is JsonObject properties)
        {
            if (workspace.DataSourceOf(page) is not { } source)
            {
                return SimResult.Invalid("Only pages of a data source can have their properties updated here.");
            }

            if (page.InTrash)
            {
                return SimResult.Invalid("Can't edit block that is archived. You must unarchive the block before editing.");
            }

            var (values, problem) = NotionJson.Values(source, properties);
            if (problem is not null)
            {
                return SimResult.Invalid(problem);
            }

            foreach (var (name, value) in values!)
            {
                page.Properties[name] = value!.DeepClone();
            }
        }

        if (body?["in_trash"] is JsonValue trash && trash.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            page.InTrash = trash.GetValue<bool>();
        }

        page.EditedAt = workspace.Now;
        return SimResult.Ok(NotionJson.Page(page));
    }

    private static SimResult ChildBlocks(NotionWorkspace workspace, SimIntegration integration, string rawId, IQueryCollection query)
    {
        if (!NotionWorkspace.TryNormalizeId(rawId, out var id))
        {
            return SimResult.Invalid($"path failed validation: path.block_id should be a valid uuid, instead was `\"{rawId}\"`.");
        }

        if (workspace.VisiblePage(integration, id) is null)
        {
            return SimResult.NotFound(id);
        }

        var blocks = workspace.DatabasesUnder(id).Select(d => (d.Id, Block: (JsonNode)new JsonObject
        {
            ["object"] = "block",
            ["id"] = d.Id,
            ["type"] = "child_database",
            ["has_children"] = false,
            ["child_database"] = new JsonObject { ["title"] = d.Title },
        })).ToList();
        return Paged(blocks, query["start_cursor"].ToString(), query["page_size"].ToString(), "block");
    }

    private static SimResult CreateDatabase(NotionWorkspace workspace, SimIntegration integration, JsonObject? body)
    {
        var pageId = body?["parent"]?["page_id"]?.GetValue<string>();
        if (!NotionWorkspace.TryNormalizeId(pageId, out var id))
        {
            return SimResult.Invalid("body.parent.page_id should be a valid uuid.");
        }

        if (workspace.VisiblePage(integration, id) is not { } parent || parent.DataSourceId is not null)
        {
            return SimResult.NotFound(id);
        }

        var (schema, problem) = NotionJson.Schema(body!["initial_data_source"]?["properties"] as JsonObject);
        if (problem is not null)
        {
            return SimResult.Invalid(problem);
        }

        var title = NotionJson.PlainText(body["title"]);
        var source = workspace.CreateDatabase(parent, title.Length == 0 ? "Untitled" : title, schema!);
        return SimResult.Ok(NotionJson.Database(source.Database));
    }

    private static SimResult RetrieveDatabase(NotionWorkspace workspace, SimIntegration integration, string rawId)
    {
        if (!NotionWorkspace.TryNormalizeId(rawId, out var id))
        {
            return SimResult.Invalid("path.database_id should be a valid uuid.");
        }

        return workspace.VisibleDatabase(integration, id) is { } database ? SimResult.Ok(NotionJson.Database(database)) : SimResult.NotFound(id);
    }

    private static SimResult RetrieveDataSource(NotionWorkspace workspace, SimIntegration integration, string rawId)
    {
        if (!NotionWorkspace.TryNormalizeId(rawId, out var id))
        {
            return SimResult.Invalid("path.data_source_id should be a valid uuid.");
        }

        return workspace.VisibleDataSource(integration, id) is { } source ? SimResult.Ok(NotionJson.DataSource(source)) : SimResult.NotFound(id);
    }

    private static SimResult Query(NotionWorkspace workspace, SimIntegration integration, string rawId, JsonObject? body)
    {
        if (!NotionWorkspace.TryNormalizeId(rawId, out var id))
        {
            return SimResult.Invalid("path.data_source_id should be a valid uuid.");
        }

        if (workspace.VisibleDataSource(integration, id) is not { } source)
        {
            return SimResult.NotFound(id);
        }

        var matching = new List<(string Id, JsonNode Page)>();
        foreach (var page in workspace.PagesOf(id).Where(p => !p.InTrash))
        {
            var (matches, problem) = NotionJson.Matches(source, page, body?["filter"]);
            if (problem is not null)
            {
                return SimResult.Invalid(problem);
            }

            if (matches)
            {
                matching.Add((page.Id, NotionJson.Page(page)));
            }
        }

        return Paged(matching, body?["start_cursor"]?.GetValue<string>(), body?["page_size"]?.ToString(), "page_or_data_source");
    }

    /// <summary>Cursor paging: the cursor is the id of the first item of the next page; at most 100 items a page.</summary>
    private static SimResult Paged(List<(string Id, JsonNode Item)> items, string? cursor, string? pageSize, string type)
    {
        var size = MaxPageSize;
        if (!string.IsNullOrEmpty(pageSize) && (!int.TryParse(pageSize, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            return SimResult.Invalid($"body.page_size should be a number between 1 and {MaxPageSize}, instead was `{pageSize}`.");
        }

        var start = 0;
        if (!string.IsNullOrEmpty(cursor))
        {
            start = items.FindIndex(i => string.Equals(i.Id, cursor, StringComparison.Ordinal));
            if (start < 0)
            {
                return SimResult.Invalid("body.start_cursor should be a cursor returned by a previous request.");
            }
        }

        var page = items.Skip(start).Take(size).Select(i => i.Item).ToList();
        var next = start + size < items.Count ? items[start + size].Id : null;
        return SimResult.Ok(NotionJson.List(page, next, type));
    }
}
