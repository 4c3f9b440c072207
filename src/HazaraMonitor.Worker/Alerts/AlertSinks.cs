using System.Net.Mail;
using System.Text.Json.Serialization;
using HazaraMonitor.Core.Configuration;
using HazaraMonitor.Core.Detection;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>Somewhere an alert goes. Implementations never put their secret (URL, password) into a message.</summary>
internal interface IAlertSink
{
    /// <summary>The sink's name in logs and metrics.</summary>
    string Name { get; }

    Task SendAsync(Alert alert, CancellationToken cancellationToken);
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

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var text = alert.Title + "\n" + string.Join('\n', alert.Lines);
        using var content = options.ParsedKind switch
        {
            WebhookKind.Slack => JsonContent.Create(new SlackMessage(text), AlertJsonContext.Default.SlackMessage),
            // Discord refuses content over 2,000 characters.
            WebhookKind.Discord => JsonContent.Create(new DiscordMessage(text.Length > 2000 ? text[..2000] : text), AlertJsonContext.Default.DiscordMessage),
            WebhookKind.Teams => JsonContent.Create(new TeamsMessageCard(alert.Title, alert.Title, string.Join("<br>", alert.Lines), alert.Direction == "dip" ? "FFA500" : "D7000F"), AlertJsonContext.Default.TeamsMessageCard),
            _ => JsonContent.Create(alert, AlertJsonContext.Default.Alert),
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

/// <summary>Email over SMTP (STARTTLS when <c>EnableSsl</c>), tried three times with a growing pause.</summary>
internal sealed class EmailSink(EmailSinkOptions options, TimeProvider time) : IAlertSink
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)];

    public string Name => "email";

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var client = new SmtpClient(options.Host, options.Port) { EnableSsl = options.EnableSsl };
                if (!string.IsNullOrEmpty(options.Username))
                {
                    client.Credentials = new System.Net.NetworkCredential(options.Username, options.Password);
                }

                using var message = new MailMessage { From = new MailAddress(options.From!), Subject = "[HazaraMonitor] " + alert.Title, Body = string.Join('\n', alert.Lines) };
                foreach (var to in options.To)
                {
                    message.To.Add(to);
                }

                await client.SendMailAsync(message, cancellationToken);
                return;
            }
            catch (SmtpException) when (attempt < Pauses.Length)
            {
                await Task.Delay(Pauses[attempt], time, cancellationToken);
            }
            catch (SmtpException e)
            {
                throw new AlertSinkException($"email to {options.To.Count} recipient(s) via {options.Host} failed after {Pauses.Length + 1} attempts ({e.StatusCode}).");
            }
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
[JsonSerializable(typeof(SlackMessage))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(TeamsMessageCard))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
