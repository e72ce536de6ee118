namespace Fanout.Tests.Packaging;

/// <summary>
/// The packaging spec runs alone, after the parallel specs: `dotnet pack` and the fresh projects' restores and builds
/// take both cores for minutes, and timing-bound specs beside them (a 1,000-run restart that must answer within 90 s)
/// ran out of time in the first full suite with it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection
{
    public const string Name = "packaging";
}
