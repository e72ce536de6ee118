using System.Text.Json;

namespace Fanout.Lighthouse;

/// <summary>
/// Where settings come from: an environment variable wins over the same key in appsettings.json (next
/// to the program). A handful of flat keys need no configuration framework, and the program stays a
/// plain Akka.NET process.
/// </summary>
internal static class SettingsSources
{
    /// <exception cref="LighthouseSettingsException">appsettings.json exists but is not a flat JSON object.</exception>
    public static Func<string, string?> Load(string folder)
    {
        var file = Path.Combine(folder, "appsettings.json");
        var fromFile = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(file))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                foreach (var property in document.RootElement.EnumerateObject())
                    fromFile[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                throw new LighthouseSettingsException($"{file} is not a JSON object of settings: {e.Message}", e);
            }
        }
        return key => Environment.GetEnvironmentVariable(key) ?? fromFile.GetValueOrDefault(key);
    }
}
