using System.Reflection;
using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace Fanout.Tests.PublicApi;

/// <summary>
/// The public API is the product: any change to it shows up as a diff of the packed assembly's approved file
/// (Fanout.approved.txt, Fanout.Http.approved.txt, ...). When a change is intended, copy NAME.received.txt over
/// NAME.approved.txt and commit both the code and it.
/// </summary>
public sealed class PublicApiSpecs
{
    /// <summary>Every assembly a package ships; a new package adds its line. Fanout.Http has no public types (an app only references it).</summary>
    public static TheoryData<string> PackedAssemblies => new()
    {
        "Fanout",
        "Fanout.Http",
        "Fanout.TestKit",
        "Fanout.Hosting",
    };

    [Theory]
    [MemberData(nameof(PackedAssemblies))]
    public void The_public_API_matches_the_approved_text(string assemblyName)
    {
        var api = Assembly.Load(assemblyName).GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes =
            [
                "System.Runtime.Versioning.TargetFrameworkAttribute",
                "System.Reflection.AssemblyMetadataAttribute",
                "System.Runtime.CompilerServices.InternalsVisibleToAttribute",
                // Names a compiler-generated state machine, which changes with unrelated edits.
                "System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute",
            ],
        }).ReplaceLineEndings("\n");

        var approvedPath = Path.Combine(Folder(), $"{assemblyName}.approved.txt");
        var receivedPath = Path.Combine(Folder(), $"{assemblyName}.received.txt");
        // A missing file fails even for an assembly with no public types: each packed assembly has its file.
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (api == approved)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, api);
        Assert.Fail($"The public API of {assemblyName} changed. Compare {receivedPath} with {approvedPath}; if the change is intended, copy it over.");
    }

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
