using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HazaraMonitor.Core.Configuration;

/// <summary>A section of configuration bound to an options type, so start-up can check every value converts to it before binding.</summary>
public sealed record ConfiguredSection(string Key, Type Type);

/// <summary>How each component registers its options: bound from its own section, validated at start-up by its own validator.</summary>
public static class ValidatedOptions
{
    /// <summary>Every key starts here.</summary>
    public const string Root = "HazaraMonitor";

    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="key"/> and validates it with
    /// <typeparamref name="TValidator"/> when the host starts; every component's problems are
    /// reported together (see the worker's StartupErrors), each naming its key.
    /// </summary>
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string key)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(key).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        services.AddSingleton(new ConfiguredSection(key, typeof(TOptions)));
        return services;
    }
}
