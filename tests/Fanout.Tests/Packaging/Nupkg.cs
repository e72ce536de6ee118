using System.IO.Compression;
using System.Xml.Linq;

namespace Fanout.Tests.Packaging;

/// <summary>A .nupkg read as NuGet reads it: its nuspec's metadata and its files.</summary>
public sealed class Nupkg : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly XElement _metadata;

    public Nupkg(string path)
    {
        Path = path;
        _zip = ZipFile.OpenRead(path);
        var nuspec = _zip.Entries.Single(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        _metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    public string Path { get; }

    public string Id => Metadata("id") ?? throw new InvalidOperationException($"{Path} has no id");

    public string Version => Metadata("version") ?? throw new InvalidOperationException($"{Path} has no version");

    /// <summary>The nuspec's metadata element of that name (id, authors, description, readme ...), or null.</summary>
    public string? Metadata(string name) => Element(name)?.Value;

    /// <summary>An attribute of a metadata element, such as license's type or repository's commit.</summary>
    public string? Attribute(string element, string attribute) => Element(element)?.Attribute(attribute)?.Value;

    /// <summary>Package types (DotnetTool for a tool).</summary>
    public IReadOnlyList<string> PackageTypes =>
        Element("packageTypes")?.Elements().Select(e => e.Attribute("name")!.Value).ToList() ?? [];

    /// <summary>The ids of the packages it depends on.</summary>
    public IReadOnlyList<string> Dependencies =>
        _metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Distinct().ToList();

    public IReadOnlyList<string> Files => _zip.Entries.Select(e => e.FullName).ToList();

    public byte[] Read(string file)
    {
        var entry = _zip.GetEntry(file) ?? throw new InvalidOperationException($"{System.IO.Path.GetFileName(Path)} has no {file}; it has {string.Join(", ", Files)}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A text file's content (a byte order mark, as the SDK writes some files with, is not part of it).</summary>
    public string ReadText(string file)
    {
        using var reader = new StreamReader(new MemoryStream(Read(file)), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>The symbols package made beside it, or null.</summary>
    public Nupkg? Symbols()
    {
        var snupkg = System.IO.Path.ChangeExtension(Path, ".snupkg");
        return File.Exists(snupkg) ? new Nupkg(snupkg) : null;
    }

    public void Dispose() => _zip.Dispose();

    private XElement? Element(string name) => _metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name);
}
