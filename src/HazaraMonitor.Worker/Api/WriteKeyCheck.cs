using System.Security.Cryptography;
using System.Text;

namespace HazaraMonitor.Worker.Api;

/// <summary>
/// Guards the API's writes: the request's <c>X-Api-Key</c> header must equal <c>HazaraMonitor:Api:WriteKey</c>.
/// The two are compared as SHA-256 hashes in constant time, so neither the time taken nor a length
/// difference tells a caller how much of a guess was right; no answer, log or exception holds either.
/// </summary>
internal sealed class WriteKeyCheck(IOptions<ApiOptions> options)
{
    public const string Header = "X-Api-Key";

    private readonly byte[]? _expected = string.IsNullOrEmpty(options.Value.WriteKey) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.WriteKey));

    /// <summary>Null when the request may write; otherwise the problem to answer (nothing has been changed).</summary>
    public IResult? Refuse(HttpRequest request)
    {
        if (_expected is null)
        {
            // 401 as for a missing key (the rule: without the key, writes are refused with 401); no key can be right.
            return Unauthorized(request,
                $"Writes are turned off: this deployment has no {ApiOptions.Key}:WriteKey. Set it in the worker's environment ({ApiOptions.WriteKeyVariable}) " +
                $"or user secrets (dotnet user-secrets set {ApiOptions.Key}:WriteKey <key> --project src/HazaraMonitor.Worker), never in appsettings.json, and send it in the {Header} header.");
        }

        var given = request.Headers[Header];
        if (given.Count == 0 || string.IsNullOrEmpty(given[0]))
        {
            return Unauthorized(request, $"This request changes data: send the deployment's write key ({ApiOptions.Key}:WriteKey) in the {Header} header.");
        }

        // One header value only: a repeated header is refused rather than guessed at.
        return given.Count == 1 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given[0]!)), _expected)
            ? null
            : Unauthorized(request, $"The {Header} header does not match the deployment's write key ({ApiOptions.Key}:WriteKey).");
    }

    private static IResult Unauthorized(HttpRequest request, string message)
    {
        // RFC 9110 asks a 401 to name the scheme it wants.
        request.HttpContext.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{Header}\"";
        return Results.Problem(message, statusCode: StatusCodes.Status401Unauthorized);
    }
}
