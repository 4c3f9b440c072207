using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace HazaraMonitor.Worker.Configuration;

/// <summary>
/// Checks, before binding, that every configured value converts to its option's type (an enum, a
/// number, a duration, a flag), and names every one that does not at once: the binder itself stops
/// at the first, and names the type where an operator wants the values it takes. Strings are never
/// converted, so a secret (always a string) is never quoted.
/// </summary>
internal static class ConfigurationValues
{
    /// <summary>One message per value under <paramref name="section"/> that does not convert to its property of <paramref name="type"/>.</summary>
    public static IReadOnlyList<string> Problems(IConfigurationSection section, Type type)
    {
        var problems = new List<string>();
        Check(section, type, problems);
        return problems;
    }

    private static void Check(IConfigurationSection section, Type type, List<string> problems)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var child = section.GetSection(property.Name);
            if (!child.Exists())
            {
                continue;
            }

            var propertyType = property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(List<>))
            {
                var item = propertyType.GetGenericArguments()[0];
                foreach (var element in child.GetChildren())
                {
                    CheckValue(element, item, problems);
                }
            }
            else if (!typeof(IEnumerable).IsAssignableFrom(propertyType) || propertyType == typeof(string))
            {
                CheckValue(child, propertyType, problems);
            }
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> problems)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string))
        {
            return;
        }

        if (target.IsClass)
        {
            Check(section, target, problems);
            return;
        }

        if (section.Value is not { } value || (type != target && value.Length == 0))
        {
            return;
        }

        if (target.IsEnum)
        {
            // The binder takes a name in any case or a number; a number names no value of these enums.
            if (!Enum.TryParse(target, value, ignoreCase: true, out _) || value.Trim().All(c => char.IsDigit(c) || c == '-'))
            {
                problems.Add($"{section.Path} must be one of {string.Join(", ", Enum.GetNames(target))} (got '{value}').");
            }

            return;
        }

        try
        {
            TypeDescriptor.GetConverter(target).ConvertFromInvariantString(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException || e.InnerException is FormatException or OverflowException)
        {
            problems.Add($"{section.Path} '{value}' is not {Describe(target)}.");
        }
    }

    private static string Describe(Type type) => type == typeof(TimeSpan) ? "a duration such as 00:05:00 or 1.00:00:00"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? string.Create(CultureInfo.InvariantCulture, $"a number such as {1.5}")
        : "a " + type.Name;
}
