using Fanout.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C ends the verb cleanly (a watch or a tail stops, exit 130); a second one kills the process.
    if (cancel.IsCancellationRequested) return;
    e.Cancel = true;
    cancel.Cancel();
};

var context = new CliContext(Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
try
{
    return await FanoutCli.RunAsync(args, context, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    return 130;
}
