namespace HazaraMonitor.Worker.Api;

/// <summary>The HTTP API's settings: <c>HazaraMonitor:Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Key = ValidatedOptions.Root + ":Api";

    /// <summary>The environment variable that sets <see cref="WriteKey"/>.</summary>
    public const string WriteKeyVariable = "HazaraMonitor__Api__WriteKey";

    /// <summary>Fewest characters a write key may have: 16 random characters are beyond guessing over HTTP.</summary>
    public const int MinWriteKeyLength = 16;

    /// <summary>
    /// The key that writes (posting and deleting incidents) must send in the <c>X-Api-Key</c> header. A
    /// secret: set it in the environment (<c>HazaraMonitor__Api__WriteKey</c>) or user secrets, never
    /// in appsettings.json. None by default: writes are refused until it is set.
    /// </summary>
    public string? WriteKey { get; set; }
}

/// <summary>Checks <c>HazaraMonitor:Api</c> without ever quoting the key.</summary>
internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var problems = new OptionProblems(ApiOptions.Key);
        if (options.WriteKey is { Length: > 0 } key && (key.Length < ApiOptions.MinWriteKeyLength || key.Any(char.IsWhiteSpace)))
        {
            problems.Add(nameof(options.WriteKey), $"must be at least {ApiOptions.MinWriteKeyLength} characters without spaces, e.g. from `openssl rand -hex 32`; set it in the environment ({ApiOptions.WriteKeyVariable}). The value is not shown: it is a secret.");
        }

        return problems.Result();
    }
}
