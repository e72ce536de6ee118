using System.Collections.Concurrent;

namespace Fanout.Samples;

/// <summary>
/// At-least-once execution made safe: a charge keyed by its action id happens once even though its body
/// runs twice, and a run started twice under one caller-chosen id is one run.
/// </summary>
internal static class IdempotentCharges
{
    public static readonly TaskEnvironment Env = new("billing");

    public sealed record Invoice(string Number, decimal Total);

    public static readonly TaskDefinition<Invoice, string> Charge = Env.Task("charge",
        (Invoice invoice, CancellationToken ct) =>
        {
            var context = TaskContext.Current!;   // null only when called inline, outside any run
            // The provider ignores a second request with the same key: a retry cannot charge twice.
            var receipt = Payments.Charge(invoice.Total, idempotencyKey: context.ActionId);
            // As if the node died after charging, before the outcome was recorded: the body runs again.
            if (context.Attempt == 1) throw new IOException($"{invoice.Number}: lost the connection after charging");
            return Task.FromResult($"{invoice.Number}: receipt {receipt} on attempt {context.Attempt}");
        },
        new TaskOptions { Retries = 1, RetryBackoff = TimeSpan.FromMilliseconds(50) });

    public static readonly TaskDefinition<Invoice[], string[]> Main = Env.Task("charge_all",
        async (Invoice[] invoices, CancellationToken ct) =>
            await Task.WhenAll(invoices.Select(invoice => Charge.InvokeAsync(invoice))));

    public static async Task RunAsync(FanoutRuntime fanout)
    {
        Invoice[] invoices = [new("inv-1", 120m), new("inv-2", 80m), new("inv-3", 42.5m)];
        var options = new RunOptions { RunId = $"billing-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}" };
        var run = await fanout.RunAsync(Main, invoices, options);
        var again = await fanout.RunAsync(Main, invoices, options);   // a retried start: the same run
        Show.Url(run);
        Show.Line("started", $"twice under id {options.RunId}: {(again.Id == run.Id ? "one run" : "two runs")}");
        Show.Lines(await run.WaitAsync());
        Show.Line("charged", $"{Payments.Count} charge(s), {Payments.Total:0.00} in all, for {invoices.Length} invoices");
    }

    /// <summary>A stand-in for a payment provider that honours idempotency keys.</summary>
    private static class Payments
    {
        private static readonly ConcurrentDictionary<string, (string Receipt, decimal Amount)> ByKey = new();

        public static int Count => ByKey.Count;

        public static decimal Total => ByKey.Values.Sum(charge => charge.Amount);

        public static string Charge(decimal amount, string idempotencyKey) =>
            ByKey.GetOrAdd(idempotencyKey, _ => ($"rc-{Guid.NewGuid().ToString("N")[..8]}", amount)).Receipt;
    }
}
