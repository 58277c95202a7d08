namespace BrowserAutomation.Api.Dashboard;

/// <summary>
/// The operator dashboard: a static page at /dashboard (anonymous; it holds no data) whose script reads everything
/// through the API with the key the user enters, so tenancy is the API's, not the page's.
/// </summary>
public static class DashboardEndpoints
{
    // The page loads only its own script and style, talks only to this origin and shows screenshots from blob: URLs.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The page and its assets, and GET /api/v1/overview.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription().AllowAnonymous();
        app.MapGet("/dashboard/{asset}", (string asset, HttpContext http) => Serve(http, asset)).ExcludeFromDescription().AllowAnonymous();
        app.MapOverviewEndpoints();
        return app;
    }

    private static IResult Serve(HttpContext http, string name)
    {
        if (DashboardAssets.Find(name) is not { } asset)
        {
            return TypedResults.NotFound();
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
        }

        return http.Request.Headers.IfNoneMatch == asset.ETag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
