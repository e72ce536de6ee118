using System.Runtime.CompilerServices;
using PublicApiGenerator;

namespace Fanout.Tests.PublicApi;

/// <summary>
/// The public API is the product: any change to it shows up as a diff of Fanout.approved.txt.
/// When a change is intended, copy Fanout.received.txt over Fanout.approved.txt and commit both the code and it.
/// </summary>
public sealed class PublicApiSpecs
{
    [Fact]
    public void The_public_API_matches_the_approved_text()
    {
        var api = typeof(FanoutRuntime).Assembly.GeneratePublicApi(new ApiGeneratorOptions
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

        var approvedPath = Path.Combine(Folder(), "Fanout.approved.txt");
        var receivedPath = Path.Combine(Folder(), "Fanout.received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : "";
        if (api == approved)
        {
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, api);
        Assert.Fail($"The public API changed. Compare {receivedPath} with {approvedPath}; if the change is intended, copy it over.");
    }

    private static string Folder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
