using HazaraMonitor.Worker.Configuration;

namespace HazaraMonitor.Worker.Alerts;

/// <summary>Live detection on closed 1-minute buckets, and the alert sinks.</summary>
public sealed class AlertsOptions
{
    public const string Key = ValidatedOptions.Root + ":Alerts";

    /// <summary>Quartz cron for evaluating the closed minutes. Default every minute at second 15: <c>15 * * * * ?</c>.</summary>
    public string Schedule { get; set; } = "15 * * * * ?";

    /// <summary>
    /// Quartz cron (UTC) for the daily digest: each sink gets the previous UTC day's totals per platform
    /// and language, its top posts and its alerts, once for every instance: the first run of a UTC day
    /// sends it, later runs that day send nothing unless no sink took it. Default every hour at minute 5
    /// (<c>0 5 * * * ?</c>): sent at 00:05 UTC, and retried hourly while every sink refuses it.
    /// </summary>
    public string DigestSchedule { get; set; } = "0 5 * * * ?";

    /// <summary>
    /// When false (the default) only the campaign's all-platform total raises alerts; each platform's
    /// series is still judged and scored (<c>hazaramonitor.anomaly.score</c>). True: each platform alerts too.
    /// </summary>
    public bool PerPlatform { get; set; }

    /// <summary>The same campaign, series and direction alert at most once in this time, across restarts and instances. Default 1 hour.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A quiet minute whose polls did not all succeed, or that no read has covered yet, is evaluated
    /// only once this much time has passed since it ended or since the worker started, whichever is
    /// later (retried polls may still fill it); an alert on it then says how complete it was.
    /// Default 3 minutes.
    /// </summary>
    public TimeSpan IncompleteWait { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// A spike alert names the campaign's latest incident (from its <c>IncidentsFile</c> or the API)
    /// at or before the end of its minute, if it is at most this old then. Default 3 days: the first
    /// waves of posts after an attack come within hours to a day or two; a relaunch weeks later is
    /// its own incident. <c>00:00:00</c>: alerts name no incident.
    /// </summary>
    public TimeSpan IncidentLookback { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Where people reach this worker's API or dashboard; alerts link to the series there. Default <c>http://127.0.0.1:5080</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Incoming webhooks that receive every alert.</summary>
    public List<WebhookSinkOptions> Webhooks { get; set; } = [];

    /// <summary>Email over SMTP; off while <see cref="EmailSinkOptions.Host"/> is empty.</summary>
    public EmailSinkOptions Email { get; set; } = new();
}

/// <summary>What an incoming webhook expects.</summary>
public enum WebhookKind
{
    /// <summary>The alert as JSON (see README): for your own receiver.</summary>
    Json,

    /// <summary>Slack incoming webhook (<c>{"text": ...}</c>).</summary>
    Slack,

    /// <summary>Discord webhook (<c>{"content": ...}</c>).</summary>
    Discord,

    /// <summary>Microsoft Teams incoming webhook (a MessageCard).</summary>
    Teams,
}

/// <summary>One webhook sink.</summary>
public sealed class WebhookSinkOptions
{
    /// <summary>A name for logs and metrics (the URL is a secret and is never shown), e.g. <c>responders-slack</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>Json</c>, <c>Slack</c>, <c>Discord</c> or <c>Teams</c>.</summary>
    public WebhookKind Kind { get; set; } = WebhookKind.Json;

    /// <summary>The webhook URL. A secret: set it in the environment (<c>HazaraMonitor__Alerts__Webhooks__0__Url</c>).</summary>
    public string? Url { get; set; }
}

/// <summary>The email sink.</summary>
public sealed class EmailSinkOptions
{
    /// <summary>SMTP server; empty: no email.</summary>
    public string? Host { get; set; }

    /// <summary>SMTP port. Default 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary>Use STARTTLS. Default true.</summary>
    public bool EnableSsl { get; set; } = true;

    /// <summary>Sender address.</summary>
    public string? From { get; set; }

    /// <summary>Recipients.</summary>
    public List<string> To { get; set; } = [];

    /// <summary>SMTP user, if the server wants one.</summary>
    public string? Username { get; set; }

    /// <summary>SMTP password. A secret: set it in the environment (<c>HazaraMonitor__Alerts__Email__Password</c>).</summary>
    public string? Password { get; set; }
}

/// <summary>Checks <c>HazaraMonitor:Alerts</c>: the schedule, the cooldown, and every sink (never quoting a secret).</summary>
internal sealed class AlertsOptionsValidator : IValidateOptions<AlertsOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertsOptions alerts)
    {
        var problems = new OptionProblems(AlertsOptions.Key);
        problems.Cron(alerts.Schedule, nameof(alerts.Schedule));
        problems.Cron(alerts.DigestSchedule, nameof(alerts.DigestSchedule));
        if (alerts.Cooldown < TimeSpan.FromMinutes(1))
        {
            problems.Add(nameof(alerts.Cooldown), $"must be at least 00:01:00 (got {alerts.Cooldown}).");
        }

        if (alerts.IncompleteWait < TimeSpan.Zero)
        {
            problems.Add(nameof(alerts.IncompleteWait), $"must not be negative (got {alerts.IncompleteWait}).");
        }

        if (alerts.IncidentLookback < TimeSpan.Zero)
        {
            problems.Add(nameof(alerts.IncidentLookback), $"must not be negative; 00:00:00 names no incident (got {alerts.IncidentLookback}).");
        }

        problems.HttpUrl(alerts.PublicBaseUrl, nameof(alerts.PublicBaseUrl));
        Webhooks(alerts.Webhooks, problems);
        Email(alerts.Email, problems);
        return problems.Result();
    }

    private static void Webhooks(List<WebhookSinkOptions> webhooks, OptionProblems problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (i, hook) in webhooks.Index())
        {
            var at = $"{nameof(AlertsOptions.Webhooks)}:{i}";
            if (string.IsNullOrWhiteSpace(hook.Name) || !names.Add(hook.Name) || hook.Name == "email")
            {
                problems.Add($"{at}:Name", $"must be set, unique among the webhooks and not 'email', the email sink's name (got '{hook.Name}'): it names the sink in logs and metrics.");
            }

            problems.OneOf(hook.Kind, $"{at}:Kind");

            // The URL is a secret: say what is wrong with it without repeating it.
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                problems.Add($"{at}:Url", $"must be an absolute http or https URL; set it in the environment (HazaraMonitor__Alerts__Webhooks__{i}__Url). The value is not shown: it is a secret.");
            }
        }
    }

    private static void Email(EmailSinkOptions email, OptionProblems problems)
    {
        if (string.IsNullOrWhiteSpace(email.Host))
        {
            return;
        }

        const string at = nameof(AlertsOptions.Email);
        problems.Between(email.Port, 1, 65535, $"{at}:Port");
        if (string.IsNullOrWhiteSpace(email.From) || !email.From.Contains('@', StringComparison.Ordinal))
        {
            problems.Add($"{at}:From", $"must be an email address when {problems.Key($"{at}:Host")} is set (got '{email.From}').");
        }

        if (email.To.Count == 0 || email.To.Any(t => !t.Contains('@', StringComparison.Ordinal)))
        {
            problems.Add($"{at}:To", $"must list at least one email address when {problems.Key($"{at}:Host")} is set.");
        }

        if (string.IsNullOrWhiteSpace(email.Username) != string.IsNullOrWhiteSpace(email.Password))
        {
            problems.Add($"{at}:Username", $"and {problems.Key($"{at}:Password")} go together; set the password in the environment (HazaraMonitor__Alerts__Email__Password).");
        }
    }
}
