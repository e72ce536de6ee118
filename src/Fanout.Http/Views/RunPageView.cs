using Fanout.Protocol;

namespace Fanout.Views;

/// <summary>What the run page shows above its actions: the run's summary and the part of its group folders a page draws.</summary>
internal sealed record RunPageView(RunSummary Summary, GroupTreeView GroupTree);
