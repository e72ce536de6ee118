using System.Security.Cryptography;
using System.Text;

namespace Fanout.Http.Security;

/// <summary>
/// A token kept as its SHA-256 digest and compared in constant time: hashing first makes both sides the same
/// length, so neither the comparison's time nor an early length mismatch tells a caller how close a guess was.
/// </summary>
internal sealed class TokenDigest
{
    private readonly byte[] _digest;

    private TokenDigest(byte[] digest) => _digest = digest;

    public static TokenDigest? Of(string? token) => token is null ? null : new TokenDigest(Hash(token));

    public bool Matches(byte[] presentedDigest) => CryptographicOperations.FixedTimeEquals(_digest, presentedDigest);

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
