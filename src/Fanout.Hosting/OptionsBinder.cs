using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Fanout.Hosting;

/// <summary>
/// Sets an options object's public properties from a configuration section, key by key, so that every error names its
/// key: a value of the wrong form, and a key that names no property (a binder that skips unknown keys would let a typo
/// leave a setting at its default unnoticed). Only what a configuration file can say is bound: text, numbers, yes/no,
/// durations, URLs, enum names, lists of text, assembly names and nested options; not objects such as a logger factory.
/// </summary>
internal static class OptionsBinder
{
    public static void Bind(object target, IConfiguration section, string path)
    {
        var properties = target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(Bindable)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            var key = $"{path}:{child.Key}";
            if (!properties.TryGetValue(child.Key, out var property))
                throw new FanoutConfigurationException(key,
                    $"no such setting; the settings are {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))}");
            BindProperty(target, property, child, key);
        }
    }

    private static bool Bindable(PropertyInfo property)
    {
        var type = property.PropertyType;
        if (IsList(type, out var item)) return item == typeof(string) || item == typeof(Assembly);
        if (!property.CanWrite || property.SetMethod?.IsPublic != true) return false;
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        return scalar == typeof(string) || scalar == typeof(int) || scalar == typeof(long) || scalar == typeof(bool)
               || scalar == typeof(TimeSpan) || scalar == typeof(Uri) || scalar.IsEnum || IsNested(scalar);
    }

    private static void BindProperty(object target, PropertyInfo property, IConfigurationSection section, string key)
    {
        var type = property.PropertyType;
        if (IsList(type, out var item))
        {
            var list = property.GetValue(target)!;
            var add = type.GetMethod("Add") ?? typeof(ICollection<>).MakeGenericType(item).GetMethod("Add")!;
            var clear = typeof(ICollection<>).MakeGenericType(item).GetMethod("Clear")!;
            var children = section.GetChildren().ToList();
            if (children.Count == 0 && section.Value is not null)
                throw new FanoutConfigurationException(key, $"is a list: give its items as {key}:0, {key}:1, ...");
            clear.Invoke(list, null);
            foreach (var child in children.OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue))
            {
                var itemKey = $"{key}:{child.Key}";
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    throw new FanoutConfigurationException(itemKey, $"a list's items are numbered ({key}:0, {key}:1, ...)");
                if (child.Value is null) throw new FanoutConfigurationException(itemKey, "must be a value, not a section");
                add.Invoke(list, [item == typeof(Assembly) ? LoadAssembly(child.Value, itemKey) : child.Value]);
            }
            return;
        }

        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        if (IsNested(scalar))
        {
            var nested = property.GetValue(target) ?? Activator.CreateInstance(scalar)!;
            Bind(nested, section, key);
            property.SetValue(target, nested);
            return;
        }
        if (section.Value is null)
            throw new FanoutConfigurationException(key, $"must be a value, not a section (it has {string.Join(", ", section.GetChildren().Select(c => c.Key))})");
        var text = section.Value;
        if (text.Length == 0 && (Nullable.GetUnderlyingType(type) is not null || !type.IsValueType))
        {
            property.SetValue(target, null);
            return;
        }
        property.SetValue(target, Parse(scalar, text, key));
    }

    private static object Parse(Type type, string text, string key)
    {
        var value = text.Trim();
        if (type == typeof(string)) return text;
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
                : throw new FanoutConfigurationException(key, $"'{text}' is not a whole number");
        if (type == typeof(long))
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l
                : throw new FanoutConfigurationException(key, $"'{text}' is not a whole number");
        if (type == typeof(bool))
            return bool.TryParse(value, out var b) ? b : throw new FanoutConfigurationException(key, $"'{text}' is not true or false");
        if (type == typeof(TimeSpan))
            return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) ? t
                : throw new FanoutConfigurationException(key, $"'{text}' is not a duration such as 00:00:30 (hours:minutes:seconds)");
        if (type == typeof(Uri))
            return Uri.TryCreate(value, UriKind.Absolute, out var u) ? u
                : throw new FanoutConfigurationException(key, $"'{text}' is not an absolute URL");
        if (type == typeof(FanoutJournal) && value.Equals("Postgres", StringComparison.OrdinalIgnoreCase)) return FanoutJournal.PostgreSql;
        if (type.IsEnum)
        {
            // Names only: Enum.TryParse would also take any number, which names no journal or level.
            var name = Enum.GetNames(type).FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase));
            return name is not null ? Enum.Parse(type, name)
                : throw new FanoutConfigurationException(key, $"'{text}' is not one of {string.Join(", ", Enum.GetNames(type))}");
        }
        throw new InvalidOperationException($"{type} is not bindable");
    }

    private static Assembly LoadAssembly(string name, string key)
    {
        try
        {
            return Assembly.Load(name.Trim());
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException or ArgumentException)
        {
            throw new FanoutConfigurationException(key, $"the assembly '{name}' cannot be loaded: {e.Message}", e);
        }
    }

    private static bool IsList(Type type, out Type item)
    {
        item = typeof(object);
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IList<>)) return false;
        item = type.GetGenericArguments()[0];
        return true;
    }

    // Nested option classes of Fanout's own (RemoteTlsOptions): public, with a parameterless constructor.
    private static bool IsNested(Type type) =>
        type.IsClass && type.Assembly == typeof(FanoutRuntimeOptions).Assembly && type.Name.EndsWith("Options", StringComparison.Ordinal)
        && type.GetConstructor(Type.EmptyTypes) is not null;
}
