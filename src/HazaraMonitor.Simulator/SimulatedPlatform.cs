namespace HazaraMonitor.Simulator;

/// <summary>
/// One simulated platform, as its folder declares it: the key of its <see cref="PlatformState"/>,
/// its line on the banner, its endpoints and any services of its own. <see cref="SimulatorApp"/>
/// lists them, one line each.
/// </summary>
public sealed record SimulatedPlatform(string Key, string Banner, Func<IEndpointRouteBuilder, IEndpointRouteBuilder> Map, Action<IServiceCollection>? Services = null);
