using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>
/// Real HTTP endpoints standing in for Slack, Discord, Teams and a JSON receiver on loopback: every
/// POST to <c>/hooks/{name}</c> is recorded; <see cref="FailFirst"/> makes a hook answer 500 first.
/// </summary>
public sealed class AlertReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AlertReceiver(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Bodies received per hook (2xx answers only).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<JsonElement>> Received { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests per hook, failed ones included.</summary>
    public ConcurrentDictionary<string, int> Attempts { get; } = new(StringComparer.Ordinal);

    /// <summary>How many requests a hook answers with 500 before it accepts (int.MaxValue: always).</summary>
    public ConcurrentDictionary<string, int> FailFirst { get; } = new(StringComparer.Ordinal);

    public Uri Hook(string name) => new(BaseAddress, "hooks/" + name);

    public static async Task<AlertReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        AlertReceiver? receiver = null;
        app.MapPost("/hooks/{name}", async (string name, HttpRequest request) =>
        {
            var attempt = receiver!.Attempts.AddOrUpdate(name, 1, (_, n) => n + 1);
            if (attempt <= receiver.FailFirst.GetValueOrDefault(name))
            {
                return Results.StatusCode(500);
            }

            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            receiver.Received.GetOrAdd(name, _ => new ConcurrentQueue<JsonElement>()).Enqueue(body);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new AlertReceiver(app, new Uri(address));
        return receiver;
    }

    public int Count(string name) => Received.TryGetValue(name, out var queue) ? queue.Count : 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A minimal SMTP server on loopback that keeps the text of every message it accepts; <see cref="RefuseFirst"/> makes it refuse the first senders with a transient 451.</summary>
public sealed class SmtpSink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _senders;

    /// <summary>How many MAIL FROM commands are answered "451 try again later" before senders are accepted.</summary>
    public int RefuseFirst { get; set; }

    /// <summary>MAIL FROM commands received, refused ones included.</summary>
    public int Senders => Volatile.Read(ref _senders);

    public SmtpSink()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<string> Messages { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 localhost test SMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                var command = line.Split(' ')[0].ToUpperInvariant();
                switch (command)
                {
                    case "EHLO" or "HELO":
                        await writer.WriteLineAsync("250 localhost");
                        break;
                    case "MAIL":
                        await writer.WriteLineAsync(Interlocked.Increment(ref _senders) <= RefuseFirst ? "451 4.3.0 try again later" : "250 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with .");
                        var message = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } data && data != ".")
                        {
                            message.AppendLine(data);
                        }

                        Messages.Enqueue(message.ToString());
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 ok");
                        break;
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
