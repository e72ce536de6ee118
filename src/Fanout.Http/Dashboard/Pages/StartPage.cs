namespace Fanout.Dashboard.Pages;

/// <summary>Starts a task with JSON input (<c>form#start-run</c>); the script posts it to <c>POST /runs</c> and opens the new run.</summary>
internal static class StartPage
{
    public static string Render(PageContext context, IReadOnlyList<string> taskNames) => Layout.Render(context, "Start a run", html =>
    {
        html.Element("h1", "Start a run");
        if (!context.MayAct)
        {
            html.Element("p", context.ReadOnly ? "Runs cannot be started from a read-only viewer." : "Starting a run needs the operator token.",
                "id", "start-refused", "class", "note");
            return;
        }
        html.Open("form", "id", "start-run", "class", "stack-form");
        html.Element("label", "Task", "for", "task");
        html.Open("select", "id", "task", "name", "task", "required", "");
        foreach (var name in taskNames) html.Element("option", name, "value", name);
        html.Close("select");
        html.Element("label", "Input (JSON)", "for", "input");
        html.Element("textarea", "null", "id", "input", "name", "input", "rows", "8", "spellcheck", "false");
        html.Element("label", "Run id (optional)", "for", "run-id");
        html.Void("input", "id", "run-id", "name", "id", "autocomplete", "off");
        html.Element("button", "Start", "id", "start", "type", "submit");
        html.Element("p", null, "id", "start-error", "class", "error", "role", "alert", "hidden", "");
        html.Close("form");
        html.Element("noscript", "Starting a run needs JavaScript (the form posts JSON to POST /runs).");
    });
}
