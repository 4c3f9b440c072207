using System.Net.Http.Json;
using System.Text.Json;
using HazaraMonitor.Simulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>The platform simulator, in-process, on a free loopback port.</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public SimulatorOptions Options => _app.Services.GetRequiredService<SimulatorOptions>();

    public static async Task<SimulatorHost> StartAsync(Action<SimulatorOptions> configure)
    {
        var app = SimulatorApp.Create(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default", "Warning"], configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(address));
    }

    /// <summary>The simulator's record of what it served for a query.</summary>
    public async Task<JsonElement> StatsAsync(string query) =>
        await Http.GetFromJsonAsync<JsonElement>($"/sim/x/stats?query={Uri.EscapeDataString(query)}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
