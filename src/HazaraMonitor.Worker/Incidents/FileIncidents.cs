using System.Collections.Concurrent;
using HazaraMonitor.Core.Incidents;

namespace HazaraMonitor.Worker.Incidents;

/// <summary>
/// The campaigns' incidents files, each read once (at start-up, by the validator) and kept: a
/// relative path is read from the content root, the worker's own folder, where appsettings.json is.
/// </summary>
internal sealed class FileIncidents(IHostEnvironment environment)
{
    private readonly ConcurrentDictionary<string, Lazy<Loaded>> _files = new(StringComparer.Ordinal);

    /// <summary>A file's incidents, or what is wrong with it.</summary>
    public sealed record Loaded(IReadOnlyList<Incident> Incidents, string? Problem);

    /// <summary>Where <paramref name="path"/> is read from.</summary>
    public string FullPath(string path) => Path.GetFullPath(path.Trim(), environment.ContentRootPath);

    public Loaded Load(string path) => _files.GetOrAdd(FullPath(path), full => new Lazy<Loaded>(() => Read(full))).Value;

    private static Loaded Read(string fullPath)
    {
        try
        {
            return new Loaded(IncidentFile.Read(fullPath), null);
        }
        catch (InvalidDataException e)
        {
            return new Loaded([], e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Loaded([], "cannot be read: " + e.Message);
        }
    }
}

/// <summary>
/// Reads each campaign's <c>IncidentsFile</c> at start-up: a missing, unreadable or malformed file is a
/// configuration problem naming the key, the line or element and the field.
/// </summary>
internal sealed class IncidentFilesValidator(FileIncidents files) : IValidateOptions<CampaignsOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignsOptions options)
    {
        var problems = new OptionProblems(CampaignsOptions.Key);
        foreach (var (i, campaign) in options.Campaigns.Index())
        {
            if (string.IsNullOrWhiteSpace(campaign.IncidentsFile))
            {
                continue;
            }

            if (files.Load(campaign.IncidentsFile).Problem is { } problem)
            {
                problems.Add($"Campaigns:{i}:{nameof(CampaignOptions.IncidentsFile)}",
                    $"'{campaign.IncidentsFile}' (read as {files.FullPath(campaign.IncidentsFile)}): {problem.TrimEnd('.')}.");
            }
        }

        return problems.Result();
    }
}
