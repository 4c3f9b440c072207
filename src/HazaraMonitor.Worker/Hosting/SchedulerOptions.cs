using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Quartz;

namespace HazaraMonitor.Worker.Hosting;

/// <summary>Where Quartz keeps the schedule: <c>HazaraMonitor:Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    public const string Key = ValidatedOptions.Root + ":Scheduler";

    /// <summary>The scheduler name every instance of a deployment shares in the job store.</summary>
    public const string SchedulerName = "hazaramonitor";

    /// <summary>How often a clustered instance checks in; one silent for twice this is taken to be dead and its triggers are taken over.</summary>
    public static readonly TimeSpan CheckinInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// An Npgsql connection string (<c>Host=db;Database=hazaramonitor;Username=hazaramonitor;Password=...</c>):
    /// the instances sharing it form one Quartz cluster, so each poll fires on one instance and a dead
    /// instance's triggers are taken over. A secret when it holds a password: set it in the environment
    /// (<c>HazaraMonitor__Scheduler__PostgreSql</c>). Empty (the default): an in-memory schedule, for one instance.
    /// </summary>
    public string? PostgreSql { get; set; }

    public bool Clustered => !string.IsNullOrWhiteSpace(PostgreSql);
}

/// <summary>Checks <c>HazaraMonitor:Scheduler</c> without ever quoting the connection string (it may hold a password).</summary>
internal sealed class SchedulerOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SchedulerOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        var problems = new OptionProblems(SchedulerOptions.Key);
        if (options.Clustered)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.PostgreSql);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    problems.Add(nameof(options.PostgreSql), "names no Host. The value is not shown: it may hold a password.");
                }
            }
            catch (ArgumentException)
            {
                problems.Add(nameof(options.PostgreSql), "is not an Npgsql connection string such as 'Host=db;Database=hazaramonitor;Username=hm;Password=...'. The value is not shown: it may hold a password.");
            }
        }

        return problems.Result();
    }
}

/// <summary>
/// This instance's scheduler: started or not, and with a shared PostgreSQL store, the cluster's
/// members as they last checked in (a member silent for more than twice the check-in interval is
/// being taken over).
/// </summary>
internal sealed class SchedulerHealthCheck(ISchedulerFactory schedulers, IOptions<SchedulerOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var metadata = await scheduler.GetMetadata(cancellationToken);
        var started = metadata.RunningSince is not null;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["instance"] = metadata.SchedulerInstanceId,
            ["status"] = metadata.Status.ToString(),
            ["clustered"] = metadata.JobStoreClustered ? "true" : "false",
        };
        if (!options.Value.Clustered)
        {
            return started ? HealthCheckResult.Healthy("In-memory schedule, this instance alone.", data) : HealthCheckResult.Degraded("The scheduler has not started.", data: data);
        }

        try
        {
            await using var connection = new NpgsqlConnection(options.Value.PostgreSql);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select instance_name, last_checkin_time from qrtz_scheduler_state where sched_name = @name order by instance_name", connection);
            command.Parameters.AddWithValue("name", SchedulerOptions.SchedulerName);
            var members = new Dictionary<string, object?>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    // Quartz.NET stores times as UTC ticks.
                    var checkedIn = new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero);
                    var silent = time.GetUtcNow() - checkedIn;
                    members[reader.GetString(0)] = silent > SchedulerOptions.CheckinInterval * 2 ? $"silent for {silent.TotalSeconds:0} s" : "checked in";
                }
            }

            data["members"] = members;
            return started
                ? HealthCheckResult.Healthy($"Clustered schedule on PostgreSQL: {members.Count} member(s).", data)
                : HealthCheckResult.Degraded("The scheduler has not started.", data: data);
        }
        catch (NpgsqlException e)
        {
            // The driver's message names the host, never the password.
            return HealthCheckResult.Unhealthy($"The schedule's PostgreSQL cannot be read: {e.Message}", data: data);
        }
    }
}
