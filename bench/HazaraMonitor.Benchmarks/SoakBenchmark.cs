using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace HazaraMonitor.Benchmarks;

/// <summary>
/// Two worker processes (started by <c>scripts/bench.sh soak</c> with a shared Redis and PostgreSQL
/// schedule) against the simulator at a surge rate on every platform: every 30 s their memory and
/// metrics are read; at the end it prints each worker's memory, its share of the polls, the ingest
/// lag, and each platform's counted total beside what the simulator served.
/// </summary>
internal static partial class SoakBenchmark
{
    private const string Campaign = "stop-hazara-genocide";

    private static readonly string[] Platforms = ["x", "mastodon", "bluesky", "reddit", "youtube"];

    private sealed record Worker(Uri Address, int ProcessId)
    {
        public List<long> RssKb { get; } = [];
    }

    public static async Task<int> RunAsync(Uri simulator, IReadOnlyList<Uri> workers, IReadOnlyList<int> processIds, int minutes)
    {
        var all = workers.Zip(processIds, (uri, pid) => new Worker(uri, pid)).ToList();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Console.WriteLine($"HazaraMonitor soak: {Environment.ProcessorCount} cores, {all.Count} workers sharing Redis and a PostgreSQL schedule, {minutes} minutes against the simulator at a surge rate on every platform");
        var start = await Task.WhenAll(all.Select(w => MetricsAsync(http, w)));
        var end = start;
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(minutes);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            foreach (var worker in all)
            {
                worker.RssKb.Add(Rss(worker.ProcessId));
            }

            await Task.Delay(TimeSpan.FromSeconds(30));
            end = await Task.WhenAll(all.Select(w => MetricsAsync(http, w)));
            Console.Write('.');
        }

        Console.WriteLine();
        var polls = all.Select((_, i) => end[i].Polls - start[i].Polls).ToList();
        Console.WriteLine($"{"worker",-24} {"RSS start MB",13} {"RSS end MB",11} {"RSS max MB",11} {"polls",7} {"share",7} {"lag p50 s",10} {"lag p90 s",10}");
        for (var i = 0; i < all.Count; i++)
        {
            var rss = all[i].RssKb;
            var lag = Subtract(end[i].Lag, start[i].Lag);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{all[i].Address.Authority,-24} {rss[0] / 1024.0,13:0} {rss[^1] / 1024.0,11:0} {rss.Max() / 1024.0,11:0} {polls[i],7:0} {polls[i] / Math.Max(1, polls.Sum()),7:P0} {Quantile(lag, 0.5),10:0.0} {Quantile(lag, 0.9),10:0.0}"));
        }

        var totals = await TotalsAsync(http, all[0].Address, simulator);
        Console.WriteLine($"{"platform",-10} {"counted",10} {"served (distinct)",18}");
        foreach (var (platform, counted, served) in totals)
        {
            Console.WriteLine($"{platform,-10} {counted,10:N0} {served,18:N0}");
        }

        Console.WriteLine("polls: completed polls per worker (hazaramonitor_polls_total); lag: post creation to commit, from hazaramonitor_ingest_lag_seconds over the run; counted: the API's totals, read while the run goes on.");
        return 0;
    }

    private sealed record Scrape(double Polls, SortedDictionary<double, double> Lag);

    private static async Task<Scrape> MetricsAsync(HttpClient http, Worker worker)
    {
        var text = await http.GetStringAsync(new Uri(worker.Address, "/metrics"));
        double polls = 0;
        var lag = new SortedDictionary<double, double>();
        foreach (Match m in Sample().Matches(text))
        {
            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["name"].Value == "hazaramonitor_polls_total")
            {
                polls += value;
            }
            else if (m.Groups["name"].Value == "hazaramonitor_ingest_lag_seconds_bucket" && Le().Match(m.Groups["labels"].Value) is { Success: true } le)
            {
                var bound = le.Groups[1].Value == "+Inf" ? double.PositiveInfinity : double.Parse(le.Groups[1].Value, CultureInfo.InvariantCulture);
                lag[bound] = lag.GetValueOrDefault(bound) + value;
            }
        }

        return new Scrape(polls, lag);
    }

    private static SortedDictionary<double, double> Subtract(SortedDictionary<double, double> end, SortedDictionary<double, double> start) =>
        new(end.ToDictionary(kv => kv.Key, kv => kv.Value - start.GetValueOrDefault(kv.Key)));

    /// <summary>The bucket bound below which <paramref name="q"/> of the cumulative histogram's observations fall.</summary>
    private static double Quantile(SortedDictionary<double, double> cumulative, double q)
    {
        var total = cumulative.Count == 0 ? 0 : cumulative.Values.Max();
        return total <= 0 ? double.NaN : cumulative.First(kv => kv.Value >= q * total).Key;
    }

    private static long Rss(int processId) =>
        File.ReadLines($"/proc/{processId}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(Digits().Match(l).Value, CultureInfo.InvariantCulture)).FirstOrDefault();

    private static async Task<List<(string Platform, long Counted, long Served)>> TotalsAsync(HttpClient http, Uri worker, Uri simulator)
    {
        var campaigns = await http.GetFromJsonAsync<JsonElement>(new Uri(worker, "/api/campaigns"));
        var hashtags = campaigns.EnumerateArray().Single(c => c.GetProperty("id").GetString() == Campaign).GetProperty("hashtags").EnumerateArray().Select(h => h.GetString()!).ToList();
        var tags = Uri.EscapeDataString(string.Join(',', hashtags));
        var query = Uri.EscapeDataString(string.Join(" OR ", hashtags.Select(h => "#" + h)));
        var now = TimeProvider.System.GetUtcNow();
        var from = Uri.EscapeDataString(now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(now.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
        var totals = new List<(string, long, long)>();
        foreach (var platform in Platforms)
        {
            var series = await http.GetFromJsonAsync<JsonElement>(new Uri(worker, $"/api/campaigns/{Campaign}/series?platform={platform}&resolution=1h&from={from}&to={to}"));
            var counted = series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
            var stats = await http.GetFromJsonAsync<JsonElement>(new Uri(simulator, platform switch
            {
                "x" => $"/sim/x/stats?query={query}",
                "mastodon" => $"/sim/mastodon/stats?tags={tags}",
                _ => $"/sim/{platform}/stats?tags={tags}",
            }));
            totals.Add((platform, counted, stats.GetProperty("served_unique").GetInt64()));
        }

        return totals;
    }

    [GeneratedRegex(@"^(?<name>hazaramonitor_[a-z_]+)\{(?<labels>[^}]*)\}\s+(?<value>[0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"le=""([^""]+)""")]
    private static partial Regex Le();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
