using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Fanout.Tests.Packaging;

/// <summary>What a packed assembly and its symbols say about how they were built.</summary>
internal sealed record BuildEvidence(bool Reproducible, string PdbPath, string? SourceLinkJson, int EmbeddedSources, IReadOnlyList<string> Documents)
{
    // Portable PDB custom debug information kinds (the Portable PDB format's well-known GUIDs).
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    /// <summary>Reads the dll's debug directory and the PDB from the symbols package.</summary>
    public static BuildEvidence Read(byte[] dll, byte[] pdb)
    {
        using var pe = new PEReader(new MemoryStream(dll));
        var debug = pe.ReadDebugDirectory();
        var reproducible = debug.Any(e => e.Type == DebugDirectoryEntryType.Reproducible);
        var codeView = debug.Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var pdbPath = pe.ReadCodeViewDebugDirectoryData(codeView).Path;

        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var reader = provider.GetMetadataReader();
        string? sourceLink = null;
        var embedded = 0;
        foreach (var handle in reader.CustomDebugInformation)
        {
            var info = reader.GetCustomDebugInformation(handle);
            var kind = reader.GetGuid(info.Kind);
            if (kind == SourceLinkKind) sourceLink = Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
            else if (kind == EmbeddedSourceKind) embedded++;
        }
        var documents = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).ToList();
        return new BuildEvidence(reproducible, pdbPath, sourceLink, embedded, documents);
    }
}
