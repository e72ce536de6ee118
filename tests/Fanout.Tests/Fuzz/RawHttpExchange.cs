using System.Net.Sockets;
using System.Text;

namespace Fanout.Tests.Fuzz;

/// <summary>What came back for one fuzz request: the status code, or null when the server closed without answering.</summary>
internal sealed record FuzzResponse(int? Status, string Head);

/// <summary>
/// Sends one request's bytes over a new TCP connection and reads the response's head, all within a deadline: raw
/// sockets, because HttpClient would refuse to send most of what the fuzzer makes. A response the server sends
/// before taking the whole body (413, 431) still counts when the write then fails.
/// </summary>
internal static class RawHttpExchange
{
    private const int MaxHead = 64 * 1024;

    /// <exception cref="TimeoutException">No answer (nor a closed connection) within the deadline.</exception>
    public static async Task<FuzzResponse> SendAsync(string host, int port, FuzzRequest request, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
            try
            {
                await socket.SendAsync(request.Bytes, SocketFlags.None, timeout.Token);
                // A client that broke its request off stops writing: the server sees the end of its bytes. A whole
                // request keeps the connection open, since Kestrel takes a half-closed one for a client that left.
                if (request.BrokenTransport) socket.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The server answered early and closed (a body too large, a bad request line): read what it said.
            }
            return await ReadHeadAsync(socket, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"request {request.Index} ({request.Description}) got no answer within {deadline.TotalSeconds:F0} s");
        }
    }

    private static async Task<FuzzResponse> ReadHeadAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[MaxHead];
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            }
            catch (SocketException)
            {
                n = 0; // reset by the server: what it sent before counts
            }
            if (n == 0) break;
            read += n;
            if (buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8) >= 0) break;
        }
        var head = Encoding.Latin1.GetString(buffer, 0, read);
        return new FuzzResponse(StatusOf(head), head.Split("\r\n\r\n")[0]);
    }

    private static int? StatusOf(string head)
    {
        // "HTTP/1.1 400 Bad Request"
        var parts = head.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], out var status)
            ? status
            : null;
    }
}
