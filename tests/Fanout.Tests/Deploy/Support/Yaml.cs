using YamlDotNet.RepresentationModel;

namespace Fanout.Tests.Deploy.Support;

/// <summary>Reading rendered YAML by paths of mapping keys, failing with the path when a value the spec needs is missing.</summary>
internal static class Yaml
{
    public static YamlNode OnlyDocument(YamlStream yaml) => Assert.Single(yaml.Documents).RootNode;

    /// <summary>The node at the path of mapping keys; null when a key is missing.</summary>
    public static YamlNode? Get(YamlNode? node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode mapping) return null;
            node = mapping.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode k && k.Value == key).Value;
        }
        return node;
    }

    /// <summary>The scalar at the path; fails naming the path when there is none.</summary>
    public static string Text(YamlNode? node, params string[] keys) =>
        (Get(node, keys) as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"no value at {string.Join('.', keys)}");

    public static string? Scalar(YamlNode node) => (node as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(YamlNode? node) => (node as YamlSequenceNode)?.Children ?? [];

    public static IEnumerable<string> Names(YamlNode? node) =>
        (node as YamlMappingNode)?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!) ?? [];

    /// <summary>Every scalar anywhere below the node, for "nothing in here says X" checks.</summary>
    public static IEnumerable<string> AllScalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value is { } value ? [value] : [],
        YamlMappingNode mapping => mapping.Children.SelectMany(kv => AllScalars(kv.Key).Concat(AllScalars(kv.Value))),
        YamlSequenceNode sequence => sequence.Children.SelectMany(AllScalars),
        _ => [],
    };
}
