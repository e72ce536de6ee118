namespace Fanout.Dashboard.Pages;

/// <summary>Asks for a token (<c>form#login</c>); the server keeps it in the <c>fanout_token</c> cookie.</summary>
internal static class LoginPage
{
    public static string Render(PageContext context, string returnPath, string? error) => Layout.Render(context, "Sign in", html =>
    {
        html.Element("h1", "Sign in");
        html.Element("p", "This node needs a token. Paste the operator token (to read, start and cancel) or the viewer token (to read).");
        if (error is not null) html.Element("p", error, "id", "login-error", "class", "error", "role", "alert");
        html.Open("form", "id", "login", "method", "post", "action", "/ui/login?return=" + Uri.EscapeDataString(returnPath));
        html.Element("label", "Token", "for", "token");
        html.Void("input", "id", "token", "name", "token", "type", "password", "autocomplete", "current-password", "required", "", "autofocus", "");
        html.Element("button", "Sign in", "id", "login-submit", "type", "submit");
        html.Close("form");
    });
}
