using System.Net.Sockets;
using System.Text.Json.Serialization;
using HazaraMonitor.Core.Detection;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Polly;
using Polly.Retry;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>Somewhere an alert goes. Implementations never put their secret (URL, password) into a message.</summary>
internal interface IAlertSink
{
    /// <summary>The sink's name in logs and metrics.</summary>
    string Name { get; }

    Task SendAsync(Alert alert, CancellationToken cancellationToken);

    Task SendAsync(Notice notice, CancellationToken cancellationToken);
}

/// <summary>A sink's failure, described without its URL or credentials.</summary>
internal sealed class AlertSinkException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An incoming webhook: the alert as JSON for your own receiver, or the message shape Slack, Discord
/// or Microsoft Teams expects. 5xx answers and timeouts are retried by the "alerts" HTTP client's
/// resilience pipeline before this sink gives up.
/// </summary>
internal sealed class WebhookSink(WebhookSinkOptions options, HttpClient http) : IAlertSink
{
    /// <summary>Marks a request whose URL is a secret: tracing leaves it out (a span would carry the full URL).</summary>
    public static readonly HttpRequestOptionsKey<bool> SecretUrl = new("HazaraMonitor.SecretUrl");

    public string Name => options.Name;

    public Task SendAsync(Alert alert, CancellationToken cancellationToken) =>
        PostAsync(alert.Title, alert.Lines, alert.Direction == "dip" ? "FFA500" : "D7000F", () => JsonContent.Create(alert, AlertJsonContext.Default.Alert), cancellationToken);

    public Task SendAsync(Notice notice, CancellationToken cancellationToken) =>
        PostAsync(notice.Title, notice.Lines, "0078D7", () => JsonContent.Create(notice, AlertJsonContext.Default.Notice), cancellationToken);

    /// <param name="json">The body a JSON receiver gets; chat sinks get the title and lines in their own shape.</param>
    private async Task PostAsync(string title, IReadOnlyList<string> lines, string color, Func<JsonContent> json, CancellationToken cancellationToken)
    {
        var text = title + "\n" + string.Join('\n', lines);
        using var content = options.Kind switch
        {
            WebhookKind.Slack => JsonContent.Create(new SlackMessage(text), AlertJsonContext.Default.SlackMessage),
            // Discord refuses content over 2,000 characters.
            WebhookKind.Discord => JsonContent.Create(new DiscordMessage(text.Length > 2000 ? text[..2000] : text), AlertJsonContext.Default.DiscordMessage),
            WebhookKind.Teams => JsonContent.Create(new TeamsMessageCard(title, title, string.Join("<br>", lines), color), AlertJsonContext.Default.TeamsMessageCard),
            _ => json(),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = content };
        request.Options.Set(SecretUrl, true);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            // The exception's message may carry the host; the sink's name is enough.
            throw new AlertSinkException($"webhook '{Name}' could not be reached ({e.GetType().Name}).");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new AlertSinkException($"webhook '{Name}' answered {(int)response.StatusCode}.");
            }
        }
    }
}

/// <summary>
/// Email over SMTP with MailKit (TLS when <c>EnableSsl</c>: implicit on port 465, STARTTLS
/// otherwise), tried three times, after pauses of 1 and 2 seconds, by a Polly retry pipeline.
/// </summary>
internal sealed class EmailSink(EmailSinkOptions options, TimeProvider time) : IAlertSink
{
    private const int Attempts = 3;

    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Attempts - 1,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            // Refusals and broken connections are worth another try; a bad address or login is not fixed by one.
            ShouldHandle = new PredicateBuilder().Handle<SmtpCommandException>(e => (int)e.StatusCode >= 400 && (int)e.StatusCode < 500)
                .Handle<SmtpProtocolException>().Handle<IOException>().Handle<SocketException>(),
        })
        .Build();

    public string Name => "email";

    public Task SendAsync(Alert alert, CancellationToken cancellationToken) => MailAsync(alert.Title, alert.Lines, cancellationToken);

    public Task SendAsync(Notice notice, CancellationToken cancellationToken) => MailAsync(notice.Title, notice.Lines, cancellationToken);

    private async Task MailAsync(string title, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        using var message = new MimeMessage { Subject = "[HazaraMonitor] " + title, Body = new TextPart("plain") { Text = string.Join('\n', lines) } };
        message.From.Add(MailboxAddress.Parse(options.From!));
        message.To.AddRange(options.To.Select(MailboxAddress.Parse));
        try
        {
            await _retry.ExecuteAsync(async token =>
            {
                // Each SMTP operation (connect, authenticate, send) may take 15 s: three attempts end well within
                // AlertOutbox.ResendAfter, so no other instance resends while this one still tries.
                using var client = new SmtpClient { Timeout = 15_000 };
                var security = !options.EnableSsl ? SecureSocketOptions.None : options.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
                await client.ConnectAsync(options.Host!, options.Port, security, token);
                if (!string.IsNullOrEmpty(options.Username))
                {
                    await client.AuthenticateAsync(options.Username, options.Password ?? string.Empty, token);
                }

                await client.SendAsync(message, token);
                await client.DisconnectAsync(quit: true, token);
            }, cancellationToken);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or SocketException or AuthenticationException or MailKit.Security.SslHandshakeException)
        {
            // The server's answer may quote the credentials' user; its kind and the host are enough.
            throw new AlertSinkException($"email to {options.To.Count} recipient(s) via {options.Host} failed ({e.GetType().Name}{(e is SmtpCommandException c ? $" {(int)c.StatusCode}" : string.Empty)}).");
        }
    }
}

internal sealed record SlackMessage([property: JsonPropertyName("text")] string Text);

internal sealed record DiscordMessage([property: JsonPropertyName("content")] string Content);

/// <summary>The Office 365 connector card Teams incoming webhooks take.</summary>
internal sealed record TeamsMessageCard(
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("themeColor")] string ThemeColor)
{
    [JsonPropertyName("@type")] public string Type { get; init; } = "MessageCard";

    [JsonPropertyName("@context")] public string Context { get; init; } = "https://schema.org/extensions";
}

[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(List<Alert>))]
[JsonSerializable(typeof(Notice))]
[JsonSerializable(typeof(DailyDigest))]
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(TeamsMessageCard))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
