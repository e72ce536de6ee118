using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Fanout.Tests.Dashboard;

/// <summary>Calls a node as a browser would (Accept prefers HTML, no redirects followed) and reads pages into a DOM.</summary>
public sealed class PageClient : IDisposable
{
    public const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private readonly HttpClient _http;
    private readonly Uri _base;

    public PageClient(Uri baseUrl)
    {
        _base = baseUrl;
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Url(string path) => new(_base, path.TrimStart('/'));

    public async Task<Page> GetAsync(string path, string accept = BrowserAccept, string? cookie = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(path));
        if (accept.Length > 0) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await SendAsync(request);
    }

    public async Task<Page> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Page(response.StatusCode, response.Headers, response.Content.Headers, body);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One answer: its status, headers, raw text, and the text parsed as an HTML document.</summary>
public sealed class Page(HttpStatusCode status, HttpResponseHeaders headers, HttpContentHeaders contentHeaders, string body)
{
    private static readonly HtmlParser Parser = new();
    private IDocument? _document;

    public HttpStatusCode Status { get; } = status;
    public HttpResponseHeaders Headers { get; } = headers;
    public HttpContentHeaders ContentHeaders { get; } = contentHeaders;
    public string Body { get; } = body;
    public IDocument Document => _document ??= Parser.ParseDocument(Body);

    public string? Location => Headers.Location?.OriginalString;

    /// <summary>The one element the selector names; fails naming the selector and the page's start when there is none.</summary>
    public IElement One(string selector) =>
        Document.QuerySelector(selector) ?? throw new Xunit.Sdk.XunitException($"no element '{selector}' on the page ({(int)Status}): {Body[..Math.Min(Body.Length, 1500)]}");

    public string Text(string selector) => One(selector).TextContent.Trim();

    public IReadOnlyList<IElement> All(string selector) => Document.QuerySelectorAll(selector).ToList();

    public bool Has(string selector) => Document.QuerySelector(selector) is not null;

    public string ContentType => ContentHeaders.ContentType?.MediaType ?? "";
}
