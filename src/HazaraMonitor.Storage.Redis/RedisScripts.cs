using System.Reflection;

namespace HazaraMonitor.Storage.Redis;

/// <summary>The Lua scripts under <c>Scripts/</c>, embedded in the assembly; each file says its keys, arguments and result.</summary>
internal static class RedisScripts
{
    public static readonly string Commit = Load("commit.lua");

    public static readonly string KeepLarger = Load("keep-larger.lua");

    public static readonly string RaiseAlert = Load("raise-alert.lua");

    public static readonly string AdvanceMark = Load("advance-mark.lua");

    public static readonly string SpendReserve = Load("spend-reserve.lua");

    public static readonly string Lease = Load("lease.lua");

    public static readonly string SpendSettle = Load("spend-settle.lua");

    public static readonly string RollingTake = Load("rolling-take.lua");

    public static readonly string QuotaReserve = Load("quota-reserve.lua");

    public static readonly string IncidentAdd = Load("incident-add.lua");

    private static string Load(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
