namespace LeadPortal.Intake;

/// <summary>
/// JSON lets a string escape a lone UTF-16 surrogate (<c>"\ud83d"</c>), which no .NET string API can decode:
/// System.Text.Json throws when such a value or property name is read. A lead must not be lost for one bad
/// character, so the parser reads a copy in which each lone surrogate escape is U+FFFD instead.
/// </summary>
public static class JsonEscapes
{
    private const int EscapeLength = 6; // \uXXXX

    /// <summary>The body itself when it has no lone surrogate escape, else a copy with each one replaced by <c>\uFFFD</c>.</summary>
    public static ReadOnlyMemory<byte> WithoutLoneSurrogates(ReadOnlyMemory<byte> body)
    {
        byte[]? copy = null;
        var span = body.Span;
        // In valid JSON a backslash occurs only inside a string and always starts an escape, so no string tracking is needed.
        for (var i = span.IndexOf((byte)'\\'); i >= 0 && i < span.Length; )
        {
            if (TryReadUnit(span, i, out var unit))
            {
                if (char.IsHighSurrogate(unit) && TryReadUnit(span, i + EscapeLength, out var next) && char.IsLowSurrogate(next))
                {
                    i += 2 * EscapeLength;
                }
                else
                {
                    if (char.IsSurrogate(unit))
                    {
                        copy ??= body.ToArray();
                        "FFFD"u8.CopyTo(copy.AsSpan(i + 2));
                    }

                    i += EscapeLength;
                }
            }
            else
            {
                i += 2; // \" \\ \/ \b \f \n \r \t, or invalid JSON that the parser reports
            }

            var rest = i < span.Length ? span[i..].IndexOf((byte)'\\') : -1;
            i = rest < 0 ? -1 : i + rest;
        }

        return copy ?? body;
    }

    private static bool TryReadUnit(ReadOnlySpan<byte> span, int at, out char unit)
    {
        unit = default;
        if (at + EscapeLength > span.Length || span[at] != '\\' || span[at + 1] != 'u')
        {
            return false;
        }

        var value = 0;
        for (var k = at + 2; k < at + EscapeLength; k++)
        {
            var digit = HexValue(span[k]);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
