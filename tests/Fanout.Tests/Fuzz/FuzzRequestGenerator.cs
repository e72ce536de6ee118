using System.Globalization;
using System.Text;

namespace Fanout.Tests.Fuzz;

/// <summary>
/// Makes random and malformed HTTP/1.x requests for Fanout's API: every route with right and wrong methods, unknown
/// routes, odd run ids (unicode, percent-encoding, very long), bad query values, bad or truncated or huge JSON
/// bodies, wrong content types, bodies on GET, huge and malformed headers. Request <c>i</c> of seed <c>s</c> is
/// always the same bytes, so a failure reproduces from the two numbers alone.
/// <para>
/// The membership commands (<c>POST /cluster/leave|down|join</c>) only ever get bodies that do not parse: a valid
/// one does what it says (an empty object makes the node leave), which is the operator's right, not bad input.
/// </para>
/// </summary>
internal sealed class FuzzRequestGenerator(int seed, string host, IReadOnlyList<string?> authorizations, IReadOnlyList<string> knownRunIds,
    string startableTask)
{
    private static readonly string[] Methods = ["GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "get", "FROB", "TRACE"];

    private static readonly string[] MembershipPaths = ["/cluster/leave", "/cluster/down", "/cluster/join"];

    private static readonly string[] FixedPaths =
    [
        "/health", "/tasks", "/runs", "/runs/", "/runs/purge", "/cluster", "/cluster/events", "/actors", "/executors",
        "/sharding/regions", "/sharding/region-stats", "/sharding/shard-stats", "/cluster/down-unreachable", "/", "//runs",
        "/runs//actions", "/nope", "/runs/a/b/c", "/../../etc/passwd", "/%2e%2e/%2e%2e/", "/health/", "/HEALTH", "/runs?",
        "/favicon.ico", "/index.html",
    ];

    private static readonly string[] QueryKeys = ["status", "group", "offset", "limit", "since", "cursor", "task", "type", "olderThan", "x", "", "status[]"];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=zz", "application/json; charset=latin-1", "garbage/;;;", "", "application/xml",
    ];

    public FuzzRequest Make(int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var kind = random.Next(100);
        if (kind < 3) return Garbage(index, random);
        var method = Pick(random, Methods);
        var path = Path(random, method);
        var target = path + (random.Next(3) == 0 ? Query(random) : "");
        var (body, bodyText) = Body(random, path, method);
        var version = random.Next(40) switch { 0 => "HTTP/1.0", 1 => "HTTP/9.9", 2 => "HTTP/1.1x", _ => "HTTP/1.1" };

        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(' ').Append(version).Append("\r\n");
        if (random.Next(30) != 0) head.Append("Host: ").Append(host).Append("\r\n");
        if (Pick(random, authorizations) is { } authorization) head.Append("Authorization: ").Append(authorization).Append("\r\n");
        if (random.Next(2) == 0) head.Append("Content-Type: ").Append(Pick(random, ContentTypes)).Append("\r\n");
        var extra = OddHeaders(random, head);

        var broken = false;
        var declared = body.Length;
        var sent = body;
        if (body.Length > 0 && random.Next(12) == 0)
        {
            // Claims more than it sends: the client then stops writing (half-close), as a dropped client does.
            declared = body.Length + 1 + random.Next(10_000);
            broken = true;
        }
        else if (body.Length > 0 && random.Next(15) == 0)
        {
            sent = body[..random.Next(body.Length)]; // claims less: the rest looks like the next request
            declared = sent.Length;
            sent = body;
        }
        var chunked = body.Length > 0 && !broken && random.Next(15) == 0;
        if (chunked) head.Append("Transfer-Encoding: chunked\r\n");
        else if (body.Length > 0 || random.Next(10) == 0) head.Append("Content-Length: ").Append(ContentLength(random, declared)).Append("\r\n");
        head.Append("Connection: close\r\n\r\n");

        var bytes = Encoding.UTF8.GetBytes(head.ToString());
        var payload = chunked ? Chunked(random, sent) : sent;
        var description = $"{method} {Shorten(target)} {version}{extra} body={bodyText}{(chunked ? " chunked" : "")}{(broken ? " truncated" : "")}";
        var odd = version is not ("HTTP/1.1" or "HTTP/1.0");
        return new FuzzRequest(index, description, [.. bytes, .. payload], broken || odd, UnsupportedVersion: odd);
    }

    private string Path(Random random, string method)
    {
        var id = RunId(random);
        if (method == "POST" && random.Next(3) == 0) return "/runs"; // the route that reads a body most
        return random.Next(10) switch
        {
            0 or 1 => "/runs/" + id,
            2 or 3 => "/runs/" + id + "/actions",
            4 => "/runs/" + id + "/cancel",
            5 => method == "POST" ? "/runs" : "/runs/" + id,
            6 => Pick(random, MembershipPaths),
            7 => "/" + Pick(random, ["x", "runs", "cluster", "sharding"]) + "/" + id + "/" + RunId(random),
            _ => Pick(random, FixedPaths),
        };
    }

    private string RunId(Random random) => random.Next(12) switch
    {
        0 or 1 => knownRunIds.Count > 0 ? Pick(random, knownRunIds) : "r",
        2 => Uri.EscapeDataString(new string('é', 1 + random.Next(50))) + "%F0%9F%98%80", // unicode, an emoji
        3 => "%" + Pick(random, ["ZZ", "00", "2F", "2e", "", "C3", "FF%FE", "E2%82"]), // invalid or odd percent-encoding
        4 => new string('a', 1 + random.Next(20_000)), // very long (a long one meets Kestrel's request-line limit)
        5 => Pick(random, [".", "..", "%20", "a%2Fb", "a%5Cb", "~", "-", "%7B%7D", "a;b", "a,b", "%0D%0A"]),
        6 => Convert.ToHexString(RandomBytes(random, random.Next(1, 32))).ToLowerInvariant(),
        7 => RandomText(random, 1 + random.Next(40), urlSafe: true),
        _ => "run-" + random.Next(1000).ToString(CultureInfo.InvariantCulture),
    };

    private static string Query(Random random)
    {
        var query = new StringBuilder("?");
        var pairs = random.Next(1, 6);
        for (var i = 0; i < pairs; i++)
        {
            if (i > 0) query.Append(random.Next(10) == 0 ? ";" : "&");
            query.Append(Pick(random, QueryKeys));
            if (random.Next(8) == 0) continue; // a key with no '='
            query.Append('=').Append(random.Next(14) switch
            {
                0 => "-1",
                1 => "99999999999999999999",
                2 => int.MaxValue.ToString(CultureInfo.InvariantCulture),
                3 => "1e9",
                4 => "",
                5 => "NaN",
                6 => "%ZZ",
                7 => Uri.EscapeDataString("ÿ\u0000\u202e"),
                8 => Pick(random, ["succeeded", "Running", "failed", "queued", "cancelled", "bogus", "7d", "12h", "0", "run"]),
                9 => new string('9', 1 + random.Next(5_000)),
                10 => "2026-13-45T99:99:99Z",
                _ => random.Next(-5, 2000).ToString(CultureInfo.InvariantCulture),
            });
        }
        return query.ToString();
    }

    private (byte[] Bytes, string What) Body(Random random, string path, string method)
    {
        if (MembershipPaths.Contains(path)) return BrokenJson(random); // never one that parses (see the class comment)
        var wantsBody = method is "POST" or "PUT" or "PATCH" ? random.Next(8) != 0 : random.Next(6) == 0;
        if (!wantsBody) return ([], "none");
        return random.Next(12) switch
        {
            0 or 1 => Utf8($$"""{"task": "{{startableTask}}", "input": {{random.Next(100)}}}""", "a start of a real task"),
            2 => Utf8($$"""{"task": "{{Pick(random, ["nope.nothing", "", "a.b.c", new string('t', 5000), startableTask.ToUpperInvariant()])}}", "input": 1}""", "an unknown task"),
            3 => Utf8($$"""{"task": "{{startableTask}}", "input": {{Pick(random, ["\"text\"", "[1,2]", "{}", "null", "1.5", "true", "99999999999999999999"])}}}""", "input of the wrong type"),
            4 => Utf8($$"""{"task": "{{startableTask}}", "input": 3, "id": "{{Pick(random, ["", " ", "a/b", "ü", new string('i', 3000), "..", "%41"])}}"}""", "an odd run id"),
            5 => Utf8($$"""{"task": {{Pick(random, ["1", "null", "[]", "{}", "true"])}}, "input": 1, "id": {{Pick(random, ["1", "null", "[]", "\"x\""])}}}""", "fields of the wrong type"),
            6 => Utf8(new string('[', 1 + random.Next(100_000)), "deep nesting"),
            7 => Utf8($$"""{"task": "{{startableTask}}", "input": "{{new string('x', 500_000 + random.Next(3_000_000))}}"}""", "a huge input"),
            8 => Utf8(Pick(random, ["[]", "1", "\"s\"", "null", "{}", "{\"olderThan\": \"x\"}", "{\"olderThan\": 5}", "{\"address\": 5}"]), "JSON that is not a start"),
            9 => (RandomBytes(random, random.Next(1, 4096)), "random bytes"),
            _ => BrokenJson(random),
        };
    }

    private static (byte[], string) BrokenJson(Random random) => Utf8(random.Next(6) switch
    {
        0 => "{\"task\": \"a.b\", \"input\": ",
        1 => "{'task': 'a.b'}",
        2 => "{\"task\": \"a.b\" \"input\": 1}",
        3 => "\uFEFF\uFEFF{}}",
        4 => "{\"address\": \"akka.tcp://fanout@127.0.0.1:1\"",
        _ => "{" + RandomText(random, random.Next(1, 200), urlSafe: false),
    }, "broken JSON");

    private static string OddHeaders(Random random, StringBuilder head)
    {
        switch (random.Next(25))
        {
            case 0:
                head.Append("X-Huge: ").Append(new string('h', 40_000 + random.Next(100_000))).Append("\r\n");
                return " huge-header";
            case 1:
                for (var i = 0; i < 200 + random.Next(200); i++) head.Append("X-Many-").Append(i).Append(": v\r\n");
                return " many-headers";
            case 2:
                head.Append("No colon here\r\n");
                return " header-without-colon";
            case 3:
                head.Append("Content-Length: 5\r\nContent-Length: 7\r\n");
                return " two-content-lengths";
            case 4:
                head.Append("X-Bin: \u0001\u007f\r\n");
                return " control-characters";
            case 5:
                head.Append("Authorization: Bearer ").Append(RandomText(random, 20, urlSafe: true)).Append("\r\n");
                return " a-random-token";
            default:
                return "";
        }
    }

    private static string ContentLength(Random random, int length) => random.Next(40) switch
    {
        0 => "-1",
        1 => "abc",
        2 => "99999999999999999999",
        _ => length.ToString(CultureInfo.InvariantCulture),
    };

    private static byte[] Chunked(Random random, byte[] body)
    {
        var output = new List<byte>();
        var at = 0;
        while (at < body.Length)
        {
            var size = Math.Min(body.Length - at, 1 + random.Next(4096));
            var sizeLine = random.Next(20) == 0 ? "zz" : size.ToString("x", CultureInfo.InvariantCulture);
            output.AddRange(Encoding.ASCII.GetBytes(sizeLine + "\r\n"));
            output.AddRange(body.AsSpan(at, size).ToArray());
            output.AddRange("\r\n"u8.ToArray());
            at += size;
        }
        output.AddRange("0\r\n\r\n"u8.ToArray());
        return [.. output];
    }

    private static FuzzRequest Garbage(int index, Random random)
    {
        var bytes = random.Next(3) switch
        {
            0 => RandomBytes(random, random.Next(1, 2048)),
            1 => Encoding.ASCII.GetBytes("GET " + new string('/', 1 + random.Next(50_000)) + " HTTP/1.1\r\n\r\n"),
            _ => Encoding.ASCII.GetBytes("\r\n\r\nGET /health HTTP/1.1\r\n"),
        };
        return new FuzzRequest(index, "garbage where a request goes", bytes, BrokenTransport: true);
    }

    private static string RandomText(Random random, int length, bool urlSafe)
    {
        const string safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
        var text = new char[length];
        for (var i = 0; i < length; i++)
            text[i] = urlSafe ? safe[random.Next(safe.Length)] : (char)random.Next(32, 0x2FFF);
        return new string(text);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static (byte[], string) Utf8(string text, string what) => (Encoding.UTF8.GetBytes(text), what);

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Shorten(string text) => text.Length <= 120 ? text : $"{text[..120]}... ({text.Length} chars)";
}
