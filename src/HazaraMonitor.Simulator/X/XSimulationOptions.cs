namespace HazaraMonitor.Simulator.X;

/// <summary>What only the simulated X takes, under <c>X:</c> (<c>--X:BearerToken ...</c>).</summary>
public sealed class XSimulationOptions
{
    public const string Section = "X";

    /// <summary>The bearer token the X endpoints accept.</summary>
    public string BearerToken { get; set; } = "simulator-token";

    /// <summary>Share of requests answered 503 (a server error the client retries). Default 0.</summary>
    public double ServerErrorShare { get; set; }

    /// <summary>Share of requests answered only after <see cref="SlowSeconds"/> (past a short client timeout). Default 0.</summary>
    public double SlowShare { get; set; }

    /// <summary>How long a slow answer takes. Default 3 s.</summary>
    public double SlowSeconds { get; set; } = 3;

    /// <summary>
    /// Share of the posts search serves without <c>created_at</c>, as recorded X answers sometimes
    /// have one (the rest of the page is whole); the same posts on every page that repeats them. Default 0.
    /// </summary>
    public double WithoutCreatedAtShare { get; set; }
}
