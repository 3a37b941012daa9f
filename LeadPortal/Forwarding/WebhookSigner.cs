using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LeadPortal.Forwarding;

/// <summary>
/// Standard Webhooks signing (https://www.standardwebhooks.com): <c>webhook-signature</c> is <c>v1,</c> + base64 of
/// HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>, keyed with the base64 part of the <c>whsec_</c> secret.
/// </summary>
public static class WebhookSigner
{
    public const string SecretPrefix = "whsec_";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The spec asks for 24 to 64 bytes of key.</summary>
    public const int MinKeyBytes = 24;
    public const int MaxKeyBytes = 64;

    /// <summary>A new secret: <c>whsec_</c> + base64 of 32 random bytes.</summary>
    public static string GenerateSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Why a secret cannot be used, in words for the admin; null when it can.</summary>
    public static string? SecretProblem(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret) || !secret.Trim().StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return $"The secret must start with {SecretPrefix} followed by base64.";
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret.Trim()[SecretPrefix.Length..]);
        }
        catch (FormatException)
        {
            return $"The part of the secret after {SecretPrefix} is not valid base64.";
        }

        return key.Length is < MinKeyBytes or > MaxKeyBytes
            ? $"The secret's key must be {MinKeyBytes} to {MaxKeyBytes} bytes; this one is {key.Length}."
            : null;
    }

    public static byte[] KeyOf(string secret)
    {
        if (SecretProblem(secret) is { } problem)
        {
            throw new ArgumentException(problem, nameof(secret));
        }

        return Convert.FromBase64String(secret.Trim()[SecretPrefix.Length..]);
    }

    /// <summary>The <c>webhook-signature</c> value for one message.</summary>
    public static string Sign(string secret, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret), signed));
    }

    /// <summary>Puts the three headers on a request.</summary>
    public static void AddHeaders(HttpRequestMessage request, string secret, string messageId, DateTimeOffset at, byte[] body)
    {
        var timestamp = at.ToUnixTimeSeconds();
        request.Headers.TryAddWithoutValidation(IdHeader, messageId);
        request.Headers.TryAddWithoutValidation(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, messageId, timestamp, body));
    }

    /// <summary>A new message id, <c>msg_</c> + 26 random base32 characters (fits the 64-character column).</summary>
    public static string NewMessageId()
    {
        const string alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[bytes[i] & 31];
        }

        return "msg_" + new string(chars);
    }
}
