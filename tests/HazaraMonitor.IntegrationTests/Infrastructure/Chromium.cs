using Microsoft.Playwright;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// Debian's headless Chromium (<c>apt-get install chromium</c>; .ci/run installs it), driven by
/// Playwright. Playwright's own browser downloads are never used: they need the internet, and
/// the browser people run is the distribution's. Missing, the tests skip locally and fail in CI.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Where Debian puts it; <c>CHROMIUM</c> names another binary.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            if (RedisServer.InCi)
            {
                throw new InvalidOperationException($"CI=true and there is no Chromium at {ExecutablePath} (Debian package chromium; .ci/run installs it).");
            }

            throw new SkipException($"Skipped: no Chromium at {ExecutablePath} (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            // Playwright passes --no-sandbox (its default chromiumSandbox=false): CI runs as root, where Chromium's sandbox refuses to start.
            return new Chromium(playwright, await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ExecutablePath, Headless = true }));
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
