using Microsoft.Extensions.Configuration;

namespace Fanout.Hosting;

/// <summary>
/// The options of one <c>AddFanout...</c> call, read from configuration once and on first use. The actor system's name
/// is needed when the call registers <c>AddAkka</c>; everything else is used when the host starts, and a bad value
/// (kept by <see cref="Lazy{T}"/>) fails the start, not the registration.
/// </summary>
internal sealed class HostedSettings<TOptions> where TOptions : class, new()
{
    private readonly Lazy<TOptions> _options;

    public HostedSettings(IConfiguration? section, Action<TOptions>? configure, HostedRole role)
    {
        _options = new Lazy<TOptions>(() =>
        {
            var options = FanoutConfiguration.Read<TOptions>(section);
            configure?.Invoke(options);
            FanoutConfiguration.Validate(options, section, role);
            return options;
        });
    }

    /// <summary>The options, or the <see cref="FanoutConfigurationException"/> naming the bad key.</summary>
    public TOptions Resolve() => _options.Value;

    /// <summary>The actor system's name; the default when the options are bad (the start then fails with why).</summary>
    public string SystemName(Func<TOptions, string> name)
    {
        try
        {
            return name(_options.Value);
        }
        catch (FanoutConfigurationException)
        {
            return "fanout";
        }
    }
}
