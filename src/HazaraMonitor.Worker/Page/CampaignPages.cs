using System.Text.Encodings.Web;
using Microsoft.Net.Http.Headers;

namespace HazaraMonitor.Worker.Page;

/// <summary>
/// The campaign page, served by the worker itself from <c>wwwroot/</c> beside the executable:
/// <c>/</c> lists the campaigns, <c>/campaigns/{id}</c> shows one. The pages read the JSON API
/// (<see cref="Api.CampaignEndpoints"/>) from the browser; nothing here computes a figure.
/// </summary>
internal static class CampaignPages
{
    /// <summary>
    /// Every page's only sources are this worker: the chart library is installed from npm at build
    /// time (web/package.json) and served from wwwroot/lib, so the page works offline and a CDN
    /// cannot sneak in. Inline styles are allowed because the chart library sizes its elements with them.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication MapCampaignPages(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            // Revalidated on each load (a 304 when unchanged): a worker upgraded in place must not
            // leave browsers running last version's scripts against this version's API.
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl = "no-cache";
                context.Context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            },
        });
        app.MapGet("/", (IWebHostEnvironment environment) => Page(environment, "index.html", StatusCodes.Status200OK));
        app.MapGet("/campaigns/{id}", (string id, CampaignCatalog catalog, IWebHostEnvironment environment) =>
            catalog.Find(id) is null
                ? Page(environment, "not-found.html", StatusCodes.Status404NotFound, HtmlEncoder.Default.Encode(id))
                : Page(environment, "campaign.html", StatusCodes.Status200OK));
        return app;
    }

    /// <param name="id">Already HTML-encoded: it replaces <c>{{id}}</c> in the page.</param>
    private static IResult Page(IWebHostEnvironment environment, string name, int status, string? id = null)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(name);
        if (!file.Exists || file.PhysicalPath is null)
        {
            return Results.Problem($"The page's files are missing ({name} under {environment.WebRootPath}); the build copies them from src/HazaraMonitor.Worker/wwwroot.", statusCode: StatusCodes.Status500InternalServerError);
        }

        var html = File.ReadAllText(file.PhysicalPath);
        return new HtmlPage(id is null ? html : html.Replace("{{id}}", id, StringComparison.Ordinal), status);
    }

    /// <summary>An HTML page with its status, never cached (its scripts change with each build), under <see cref="ContentSecurityPolicy"/>.</summary>
    private sealed class HtmlPage(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            return response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}
