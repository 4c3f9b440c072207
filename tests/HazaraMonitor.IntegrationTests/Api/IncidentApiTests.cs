using System.Net;
using System.Text;
using HazaraMonitor.Worker.Telemetry;

namespace HazaraMonitor.IntegrationTests.Api;

/// <summary>
/// Two workers in-process over loopback on the test Redis, with the shipped campaign and its
/// incidents file: one with a write key (<c>Api:WriteKey</c>), logging everything to a collector,
/// and one without, whose writes are turned off.
/// </summary>
public sealed class IncidentApiFixture : SimulatorFixture
{
    public const string Campaign = "stop-hazara-genocide";

    /// <summary>The write key; a test sends it with a suffix as the wrong one, so an echo of either would show it.</summary>
    public const string WriteKey = "incident-test-write-key-7f3a9c2e5b";

    private InProcessWorker? _worker, _locked;

    public InProcessWorker Worker => _worker!;

    /// <summary>The worker with the write key.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The worker without one.</summary>
    public HttpClient Locked { get; private set; } = null!;

    protected override async Task StartAsync()
    {
        _worker = InProcessWorker.CreateOnPrefix(Simulator, RedisServer.UniquePrefix("incidents"), "simulator-token",
            [$"--HazaraMonitor:Api:WriteKey={WriteKey}", "--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace"],
            services: s => s.AddFakeLogging());
        _locked = InProcessWorker.Create(Simulator, "incidents-locked");
        Http = await _worker.ServeAsync();
        Locked = await _locked.ServeAsync();
    }

    protected override async ValueTask StopAsync()
    {
        Http?.Dispose();
        Locked?.Dispose();
        foreach (var worker in new[] { _worker, _locked })
        {
            if (worker is not null)
            {
                await worker.DisposeAsync();
            }
        }
    }
}

/// <summary>
/// <c>/api/campaigns/{id}/incidents</c>: the file's incidents and the API's, oldest first; writes only
/// with the key, each refusal a problem with a message and nothing changed.
/// </summary>
public sealed class IncidentApiTests(IncidentApiFixture fixture) : IClassFixture<IncidentApiFixture>
{
    private const string Campaign = IncidentApiFixture.Campaign;
    private const string Path = $"/api/campaigns/{Campaign}/incidents";

    /// <summary>Every answer's body, to check none carries the key.</summary>
    private static readonly List<string> Answers = [];

    private static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, params string[] keys)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var key in keys)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        lock (Answers)
        {
            Answers.Add(text);
        }

        return (response.StatusCode, text, response);
    }

    private Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(string body, params string[] keys)
    {
        fixture.Require();
        return SendAsync(fixture.Http, HttpMethod.Post, Path, body, keys);
    }

    private Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> DeleteAsync(string incidentId, params string[] keys)
    {
        fixture.Require();
        return SendAsync(fixture.Http, HttpMethod.Delete, $"{Path}/{incidentId}", null, keys);
    }

    private async Task<JsonElement[]> ListAsync(string query = "")
    {
        fixture.Require();
        var (status, body, _) = await SendAsync(fixture.Http, HttpMethod.Get, Path + query);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. JsonDocument.Parse(body).RootElement.EnumerateArray()];
    }

    private static string Detail(string body) => JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()!;

    private static string Incident(string time, string title, string? place = null, string? link = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?> { ["time"] = time, ["title"] = title, ["place"] = place, ["link"] = link });

    [SkippableFact]
    public async Task ListsTheFileIncidentsOldestFirst()
    {
        var incidents = await ListAsync("?to=2025-01-01T00:00:00Z");

        Assert.Equal(11, incidents.Length);
        Assert.Equal(incidents.Select(i => i.GetProperty("time").GetString()).Order(StringComparer.Ordinal), incidents.Select(i => i.GetProperty("time").GetString()));
        var kaaj = Assert.Single(incidents, i => i.GetProperty("title").GetString()!.Contains("Kaaj education centre", StringComparison.Ordinal));
        Assert.Equal("2022-09-30T00:00:00Z", kaaj.GetProperty("time").GetString());
        Assert.Equal(("day", "file", "Dasht-e-Barchi, Kabul, Afghanistan"), (kaaj.GetProperty("precision").GetString(), kaaj.GetProperty("source").GetString(), kaaj.GetProperty("place").GetString()));
        Assert.Equal(JsonValueKind.Null, Assert.Single(incidents, i => i.GetProperty("kind").GetString() == "campaign").GetProperty("link").ValueKind);
        // A range from its start (inclusive) to its end (exclusive).
        Assert.Equal([kaaj.GetProperty("id").GetString()], (await ListAsync("?from=2022-09-30T00:00:00Z&to=2022-10-01T00:00:00Z")).Select(i => i.GetProperty("id").GetString()));
    }

    [SkippableFact]
    public async Task RefusesAWriteWithoutTheKeyWith401AndStoresNothing()
    {
        var before = (await ListAsync()).Length;

        var (status, body, response) = await PostAsync(Incident("2026-01-01T10:00:00Z", "No key"));
        var (deleteStatus, deleteBody, _) = await DeleteAsync(Assert.IsType<string>((await ListAsync())[0].GetProperty("id").GetString()));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("This request changes data: send the deployment's write key (HazaraMonitor:Api:WriteKey) in the X-Api-Key header.", Detail(body));
        Assert.Equal("ApiKey header=\"X-Api-Key\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, deleteStatus);
        Assert.StartsWith("This request changes data", Detail(deleteBody), StringComparison.Ordinal);
        Assert.Equal(before, (await ListAsync()).Length);
    }

    [SkippableFact]
    public async Task RefusesAWrongKeyWith401AndStoresNothing()
    {
        var before = (await ListAsync()).Length;

        var wrong = await PostAsync(Incident("2026-01-01T10:00:00Z", "Wrong key"), IncidentApiFixture.WriteKey + "-wrong");
        var twice = await PostAsync(Incident("2026-01-01T10:00:00Z", "Key twice"), IncidentApiFixture.WriteKey, IncidentApiFixture.WriteKey);
        var empty = await PostAsync(Incident("2026-01-01T10:00:00Z", "Empty key"), string.Empty);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal("The X-Api-Key header does not match the deployment's write key (HazaraMonitor:Api:WriteKey).", Detail(wrong.Body));
        Assert.Equal(HttpStatusCode.Unauthorized, twice.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, empty.Status);
        Assert.Equal(before, (await ListAsync()).Length);
    }

    [SkippableFact]
    public async Task AddsAnIncidentWithTheKeyListsItAndDeletesIt()
    {
        var (status, body, response) = await PostAsync(
            Incident(" 2026-02-03T04:05:00Z ", " Protest in Kabul ", "Kabul, Afghanistan", "https://example.org/protest"), IncidentApiFixture.WriteKey);

        Assert.Equal(HttpStatusCode.Created, status);
        var created = JsonDocument.Parse(body).RootElement;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("a-", id, StringComparison.Ordinal);
        Assert.Equal($"{Path}/{id}", response.Headers.Location?.ToString());
        Assert.Equal(("2026-02-03T04:05:00Z", "Protest in Kabul", "time", "api"),
            (created.GetProperty("time").GetString(), created.GetProperty("title").GetString(), created.GetProperty("precision").GetString(), created.GetProperty("source").GetString()));
        var listed = Assert.Single(await ListAsync("?from=2026-02-03T00:00:00Z&to=2026-02-04T00:00:00Z"));
        Assert.Equal(created.ToString(), listed.ToString());
        // Listed among the file's, in time order.
        var all = await ListAsync();
        Assert.Equal(all.Select(i => i.GetProperty("time").GetString()).Order(StringComparer.Ordinal), all.Select(i => i.GetProperty("time").GetString()));
        // Every instance's gauges read it from Redis.
        var gauges = await fixture.Worker.Services.GetRequiredService<GaugeRefresher>().ReadAsync(CancellationToken.None);
        Assert.Contains(gauges.Incidents, i => i.Id == id && i.Title == "Protest in Kabul" && i.Time == new DateTimeOffset(2026, 2, 3, 4, 5, 0, TimeSpan.Zero));

        var deleted = await DeleteAsync(id, IncidentApiFixture.WriteKey);
        var again = await DeleteAsync(id, IncidentApiFixture.WriteKey);

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Empty(await ListAsync("?from=2026-02-03T00:00:00Z&to=2026-02-04T00:00:00Z"));
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Equal($"Campaign '{Campaign}' has no incident '{id}'. See /api/campaigns/{Campaign}/incidents.", Detail(again.Body));
    }

    [SkippableFact]
    public async Task RefusesToDeleteAFileIncidentWith409()
    {
        var kaaj = (await ListAsync()).First(i => i.GetProperty("title").GetString()!.Contains("Kaaj", StringComparison.Ordinal)).GetProperty("id").GetString()!;

        var (status, body, _) = await DeleteAsync(kaaj, IncidentApiFixture.WriteKey);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal($"Incident '{kaaj}' comes from the campaign's incidents file (HazaraMonitor:Campaigns:0:IncidentsFile), which the API does not change: remove it from the file and restart the worker.", Detail(body));
        Assert.Contains(await ListAsync(), i => i.GetProperty("id").GetString() == kaaj);
    }

    [SkippableTheory]
    [InlineData("""{"title": "No time"}""", "time is required.")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z"}""", "title is required.")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "title": "   "}""", "title is required.")]
    [InlineData("""{"time": "soon", "title": "x"}""", "time must be a month (2022-09), a day (2022-09-30) or an ISO-8601 time such as 2022-09-30T08:15:00Z (got 'soon').")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "title": "x", "link": "ftp://example.org/x"}""", "link must be an absolute http or https URL (got 'ftp://example.org/x').")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "title": "x", "link": "javascript:alert(1)"}""", "link must be an absolute http or https URL (got 'javascript:alert(1)').")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "title": "x", "link": "/relative"}""", "link must be an absolute http or https URL (got '/relative').")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "title": "two\nlines"}""", "title must be one line, without control characters (line breaks, tabs).")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "title": "x", "url": "https://example.org"}""", "Unknown field 'url'; an incident has time, title, place, link.")]
    [InlineData("""{"time": 1767225600, "title": "x"}""", "time must be a string (got number).")]
    [InlineData("""["2026-01-01T00:00:00Z", "x"]""", """The body must be a JSON object such as {"time": "2022-09-30T08:15:00Z", "title": "...", "place": "...", "link": "https://..."}.""")]
    [InlineData("""{"time": "2026-01-01T00:00:00Z", "title": "x" """, """The body must be a JSON object such as {"time": "2022-09-30T08:15:00Z", "title": "...", "place": "...", "link": "https://..."} (""")]
    [InlineData("", "The body must be a JSON object such as")]
    [InlineData("""{"place": "Kabul"}""", "time is required. title is required.")]
    public async Task AnswersBadInputWith400SayingWhatToFix(string body, string message)
    {
        var before = (await ListAsync()).Length;

        var (status, answer, response) = await PostAsync(body, IncidentApiFixture.WriteKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith(message, Detail(answer), StringComparison.Ordinal);
        Assert.Equal(before, (await ListAsync()).Length);
    }

    [SkippableFact]
    public async Task RefusesFieldsLongerThanTheLimits()
    {
        var title = await PostAsync(Incident("2026-01-01T00:00:00Z", new string('t', 201)), IncidentApiFixture.WriteKey);
        var place = await PostAsync(Incident("2026-01-01T00:00:00Z", "x", new string('p', 201)), IncidentApiFixture.WriteKey);
        var link = await PostAsync(Incident("2026-01-01T00:00:00Z", "x", null, "https://example.org/" + new string('l', 2048)), IncidentApiFixture.WriteKey);
        var body = await PostAsync(Incident("2026-01-01T00:00:00Z", new string('b', 17 * 1024)), IncidentApiFixture.WriteKey);

        Assert.Equal((HttpStatusCode.BadRequest, "title is 201 characters long; at most 200."), (title.Status, Detail(title.Body)));
        Assert.Equal((HttpStatusCode.BadRequest, "place is 201 characters long; at most 200."), (place.Status, Detail(place.Body)));
        Assert.Equal((HttpStatusCode.BadRequest, "link is 2068 characters long; at most 2048."), (link.Status, Detail(link.Body)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, body.Status);
        Assert.StartsWith("The body is larger than 16 KB", Detail(body.Body), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnswersAnUnknownCampaignWith404AndABadRangeWith400()
    {
        fixture.Require();
        var get = await SendAsync(fixture.Http, HttpMethod.Get, "/api/campaigns/no-such-campaign/incidents");
        var post = await SendAsync(fixture.Http, HttpMethod.Post, "/api/campaigns/no-such-campaign/incidents", Incident("2026-01-01T00:00:00Z", "x"), IncidentApiFixture.WriteKey);
        var delete = await SendAsync(fixture.Http, HttpMethod.Delete, "/api/campaigns/no-such-campaign/incidents/a-1", null, IncidentApiFixture.WriteKey);
        var reversed = await SendAsync(fixture.Http, HttpMethod.Get, $"{Path}?from=2022-10-01T00:00:00Z&to=2022-09-01T00:00:00Z");
        var notATime = await SendAsync(fixture.Http, HttpMethod.Get, $"{Path}?from=yesterday");

        Assert.All([get, post, delete], a => Assert.Equal((HttpStatusCode.NotFound, "No campaign 'no-such-campaign'. See /api/campaigns."), (a.Status, Detail(a.Body))));
        Assert.Equal((HttpStatusCode.BadRequest, "from (2022-10-01T00:00:00.0000000+00:00) must be before to (2022-09-01T00:00:00.0000000+00:00)."), (reversed.Status, Detail(reversed.Body)));
        Assert.Equal((HttpStatusCode.BadRequest, "from must be an ISO-8601 time such as 2022-10-01T00:00:00Z (got 'yesterday')."), (notATime.Status, Detail(notATime.Body)));
    }

    [SkippableFact]
    public async Task RefusesWritesWith401SayingHowToTurnThemOnWhenNoKeyIsConfigured()
    {
        fixture.Require();
        var post = await SendAsync(fixture.Locked, HttpMethod.Post, Path, Incident("2026-01-01T00:00:00Z", "x"), "any-key-at-all-0123456789");
        var delete = await SendAsync(fixture.Locked, HttpMethod.Delete, $"{Path}/a-1");
        var get = await SendAsync(fixture.Locked, HttpMethod.Get, Path);

        Assert.Equal(HttpStatusCode.Unauthorized, post.Status);
        Assert.StartsWith("Writes are turned off: this deployment has no HazaraMonitor:Api:WriteKey. Set it in the worker's environment (HazaraMonitor__Api__WriteKey)", Detail(post.Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.Status);
        Assert.Equal(HttpStatusCode.OK, get.Status);
    }

    [SkippableFact]
    public async Task NeverShowsTheKeyInAnswersOrLogs()
    {
        var added = await PostAsync(Incident("2026-03-01T00:00:00Z", "Logged"), IncidentApiFixture.WriteKey);
        await PostAsync(Incident("2026-03-01T00:00:00Z", "Wrong"), IncidentApiFixture.WriteKey + "-wrong");
        await PostAsync("""{"time": "2026-03-01T00:00:00Z"}""", IncidentApiFixture.WriteKey);
        var id = JsonDocument.Parse(added.Body).RootElement.GetProperty("id").GetString()!;
        await DeleteAsync(id, IncidentApiFixture.WriteKey);

        lock (Answers)
        {
            Assert.All(Answers, a => Assert.DoesNotContain(IncidentApiFixture.WriteKey, a, StringComparison.Ordinal));
        }

        var records = fixture.Worker.Services.GetFakeLogCollector().GetSnapshot();
        // The writes were logged, so the check saw them.
        Assert.Contains(records, r => r.Message == $"{Campaign}: incident {id} (2026-03-01 00:00 UTC) added through the API");
        Assert.Contains(records, r => r.Message == $"{Campaign}: incident {id} deleted through the API");
        foreach (var record in records)
        {
            var state = string.Join(' ', record.StructuredState?.Select(kv => kv.Value) ?? []);
            Assert.False((record.Message + state + record.Exception).Contains(IncidentApiFixture.WriteKey, StringComparison.Ordinal), $"{record.Category}: {record.Message} {state}");
        }
    }
}
