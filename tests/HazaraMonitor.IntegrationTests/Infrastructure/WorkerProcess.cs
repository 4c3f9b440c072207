using System.Text;

namespace HazaraMonitor.IntegrationTests.Infrastructure;

/// <summary>The worker as its own process (<c>dotnet hazaramonitor.dll</c>), so a test can kill it like a crash would.</summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Everything the process wrote, for assertion messages and secret checks.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment, int? port = null)
    {
        var address = new Uri($"http://127.0.0.1:{port ?? Ports.Free()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Repository.WorkerDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString());
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            // Configuration keys ("A:B") become environment variables ("A__B").
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new WorkerProcess(Process.Start(start)!, address);
    }

    /// <summary>Waits until /healthz answers (any status), or the process exits.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout && !_process.HasExited)
        {
            try
            {
                using var response = await Http.GetAsync("/healthz");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"The worker did not serve within {timeout}. Output:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>The process id, which the owner name of this instance's leases carries.</summary>
    public int ProcessId => _process.Id;

    /// <summary>A campaign's hashtags as the worker's API lists them.</summary>
    public async Task<IReadOnlyList<string>> HashtagsAsync(string campaignId)
    {
        var campaigns = await Http.GetFromJsonAsync<JsonElement>("/api/campaigns");
        var campaign = campaigns.EnumerateArray().Single(c => c.GetProperty("id").GetString() == campaignId);
        return [.. campaign.GetProperty("hashtags").EnumerateArray().Select(h => h.GetString()!)];
    }

    /// <summary>A campaign's total on one platform over two days around now, through the worker's API; -1 when the worker does not answer (it was just killed).</summary>
    public async Task<long> TotalAsync(string campaignId, string platform)
    {
        var now = TimeProvider.System.GetUtcNow();
        var from = Uri.EscapeDataString(now.AddDays(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(now.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            var series = await Http.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/series?platform={platform}&resolution=1h&from={from}&to={to}");
            return series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
        }
        catch (HttpRequestException)
        {
            return -1;
        }
    }

    /// <summary>SIGTERM: what an orchestrator sends to stop it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly what a crash leaves.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
