using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace LeadPortal.Import;

/// <summary>The file as a whole cannot be imported; the message names the row or column and what to do.</summary>
public sealed class ImportFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>How a file is read: its encoding (<see cref="ImportCsv.Encodings"/>) and separator.</summary>
public sealed record CsvFormat(string Encoding, string Delimiter)
{
    public string DelimiterName => ImportCsv.DelimiterName(Delimiter);
}

/// <summary>
/// Reading an uploaded CSV file: what it is (encoding from its byte order mark or its bytes, separator from its header
/// row), and its rows one at a time from the file, never the whole file in memory. Anything that makes the file as a
/// whole unreadable (not text, the wrong encoding, an unclosed quote, thousands of columns, repeated headers) is an
/// <see cref="ImportFileException"/> naming where; a row that is only wrong in itself is the caller's to refuse.
/// </summary>
public static class ImportCsv
{
    public const string Utf8 = "utf-8";
    public const string Utf16Le = "utf-16le";
    public const string Utf16Be = "utf-16be";
    public const string Windows1252 = "windows-1252";

    public static readonly IReadOnlyList<(string Name, string Label)> Encodings =
        [(Utf8, "UTF-8"), (Utf16Le, "UTF-16 (little-endian)"), (Utf16Be, "UTF-16 (big-endian)"), (Windows1252, "Windows-1252 (Western European)")];

    public static readonly IReadOnlyList<string> Delimiters = [",", ";", "\t"];

    private const int SampleBytes = 64 * 1024;

    static ImportCsv() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string DelimiterName(string delimiter) => delimiter switch
    {
        "," => "Comma",
        ";" => "Semicolon",
        "\t" => "Tab",
        _ => delimiter,
    };

    public static string EncodingLabel(string name) => Encodings.FirstOrDefault(e => e.Name == name).Label ?? name;

    /// <summary>The encoding and separator of a file: from its byte order mark and first 64 KB.</summary>
    public static CsvFormat Detect(string path)
    {
        var sample = new byte[SampleBytes];
        int length;
        using (var file = File.OpenRead(path))
        {
            length = file.ReadAtLeast(sample, SampleBytes, throwOnEndOfStream: false);
        }

        var bytes = sample.AsSpan(0, length);
        var encoding = DetectEncoding(bytes);
        var text = Decoder(encoding, strict: false).GetString(bytes);
        return new CsvFormat(encoding, DetectDelimiter(text));
    }

    private static string DetectEncoding(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new ImportFileException("The file is empty.");
        }

        if (bytes is [0x50, 0x4B, 0x03, 0x04, ..])
        {
            throw new ImportFileException("This is an Excel workbook or a ZIP file, not a CSV file: in Excel, use File › Save As › \"CSV UTF-8\", then upload that.");
        }

        if (bytes is [0xD0, 0xCF, 0x11, 0xE0, ..])
        {
            throw new ImportFileException("This is an old Excel workbook (.xls), not a CSV file: in Excel, use File › Save As › \"CSV UTF-8\", then upload that.");
        }

        if (bytes is [0x25, 0x50, 0x44, 0x46, ..])
        {
            throw new ImportFileException("This is a PDF, not a CSV file.");
        }

        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            return Utf8;
        }

        if (bytes is [0xFF, 0xFE, ..])
        {
            return Utf16Le;
        }

        if (bytes is [0xFE, 0xFF, ..])
        {
            return Utf16Be;
        }

        // UTF-16 without a byte order mark: text in Latin letters has a zero in every other byte.
        int zeroEven = 0, zeroOdd = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == 0)
            {
                if (i % 2 == 0)
                {
                    zeroEven++;
                }
                else
                {
                    zeroOdd++;
                }
            }
        }

        var half = bytes.Length / 2;
        if (half > 0 && zeroOdd > half * 0.4 && zeroEven < half * 0.05)
        {
            return Utf16Le;
        }

        if (half > 0 && zeroEven > half * 0.4 && zeroOdd < half * 0.05)
        {
            return Utf16Be;
        }

        if (bytes.IndexOf((byte)0) is var nul and >= 0)
        {
            throw new ImportFileException($"This is not a text file (byte {nul + 1:N0} is a NUL, as in a program, an image or a database): upload the lead list as a CSV file.");
        }

        var controls = 0;
        foreach (var b in bytes)
        {
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D))
            {
                controls++;
            }
        }

        if (controls > 8 && controls * 200 > bytes.Length)
        {
            throw new ImportFileException("This is not a text file (it is full of control characters): upload the lead list as a CSV file.");
        }

        // A multi-byte character may be cut at the sample's end: valid UTF-8 up to its last 3 bytes counts.
        var check = bytes.Length == SampleBytes ? bytes[..TrimCut(bytes)] : bytes;
        return System.Text.Unicode.Utf8.IsValid(check) ? Utf8 : Windows1252;
    }

    private static int TrimCut(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        for (var back = 0; back < 3 && end > 0 && (bytes[end - 1] & 0x80) != 0; back++)
        {
            end--;
        }

        return end;
    }

    /// <summary>The separator used most in the first record (outside quotes); a comma when there is none.</summary>
    private static string DetectDelimiter(string text)
    {
        int comma = 0, semicolon = 0, tab = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted)
            {
                switch (c)
                {
                    case ',': comma++; break;
                    case ';': semicolon++; break;
                    case '\t': tab++; break;
                }
            }
        }

        return tab > comma && tab >= semicolon ? "\t" : semicolon > comma ? ";" : ",";
    }

    /// <summary>The encoding to read with: strict (a byte that is not text in it is an error, not a '?') unless told.</summary>
    public static Encoding Decoder(string name, bool strict = true) => name switch
    {
        Utf8 => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: strict),
        Utf16Le => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: strict),
        Utf16Be => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: strict),
        Windows1252 => System.Text.Encoding.GetEncoding(1252),
        _ => throw new ImportFileException($"'{name}' is not an encoding an import reads (UTF-8, UTF-16 or Windows-1252)."),
    };

    /// <summary>The first line (1-based) of a file that is not valid UTF-8, or null.</summary>
    public static long? FirstInvalidUtf8Line(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        var line = new MemoryStream();
        long number = 1;
        int b;
        while ((b = file.ReadByte()) >= 0)
        {
            if (b == '\n')
            {
                if (!System.Text.Unicode.Utf8.IsValid(line.GetBuffer().AsSpan(0, (int)line.Length)))
                {
                    return number;
                }

                line.SetLength(0);
                number++;
            }
            else
            {
                line.WriteByte((byte)b);
            }
        }

        return System.Text.Unicode.Utf8.IsValid(line.GetBuffer().AsSpan(0, (int)line.Length)) ? null : number;
    }

    /// <summary>Opens the file for reading row by row; reads and checks the header row.</summary>
    public static ImportCsvReader Open(string path, CsvFormat format, ImportOptions options) => new(path, format, options);
}

/// <summary>The rows of one file, from its start: <see cref="Headers"/>, then <see cref="Read"/> one row at a time.</summary>
public sealed class ImportCsvReader : IDisposable
{
    private readonly StreamReader _text;
    private readonly CsvReader _csv;
    private readonly CsvFormat _format;
    private readonly ImportOptions _options;
    private readonly string _path;

    internal ImportCsvReader(string path, CsvFormat format, ImportOptions options)
    {
        _path = path;
        _format = format;
        _options = options;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        _text = new StreamReader(stream, ImportCsv.Decoder(format.Encoding), detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024);
        var csvOptions = new CsvReaderOptions
        {
            Separator = format.Delimiter[0],
            HasHeader = false,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            // Broken quoting breaks every row after it: the file is refused at the first, not recovered into wrong cells.
            MalformedData = CsvMalformedDataHandling.Throw,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            // An unclosed quote would otherwise read the rest of a 50 MB file into one cell.
            MaxRecordSize = options.MaxRowBytes,
            DetectSeparatorHint = false,
            IncludeValuesInExceptions = false,
        };
        try
        {
            _csv = CsvReader.Create(_text, csvOptions, leaveOpen: true);
            Headers = ReadHeaders();
        }
        catch
        {
            _csv?.Dispose();
            _text.Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> Headers { get; }

    /// <summary>The row last read, numbered as a spreadsheet does (the header is row 1).</summary>
    public int Row { get; private set; } = 1;

    /// <summary>The data rows read so far.</summary>
    public int DataRows { get; private set; }

    /// <summary>The next row's cells (as many as the file has), or null at the end of the file.</summary>
    public string[]? Read()
    {
        if (Next() is not { } cells)
        {
            return null;
        }

        DataRows++;
        if (DataRows > _options.MaxRows)
        {
            throw new ImportFileException($"The file has more than {_options.MaxRows:N0} rows, the most an import takes: split it into several files.");
        }

        return cells;
    }

    /// <summary>The name a column is shown by: its header, or "column 5" when it has none.</summary>
    public static string ColumnName(IReadOnlyList<string> headers, int index) =>
        index < headers.Count && headers[index].Length > 0 ? headers[index] : $"column {index + 1}";

    private List<string> ReadHeaders()
    {
        if (Next() is not { } cells)
        {
            throw new ImportFileException("The file has no rows: the first row must name the columns.");
        }

        var headers = cells.Select((h, i) => (i == 0 ? h.TrimStart('\uFEFF') : h).Trim()).ToList();
        if (headers.All(h => h.Length == 0))
        {
            throw new ImportFileException("Row 1 is empty: the first row must name the columns.");
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i].Length == 0)
            {
                continue;
            }

            if (seen.TryGetValue(headers[i], out var first))
            {
                throw new ImportFileException(
                    $"Row 1, columns {first + 1} and {i + 1} are both named '{headers[i]}': rename one, so that each column can be mapped on its own.");
            }

            seen[headers[i]] = i;
        }

        return headers;
    }

    private string[]? Next()
    {
        try
        {
            if (!_csv.Read())
            {
                return null;
            }

            Row = (int)_csv.RowNumber;
            var count = _csv.FieldCount;
            if (count > _options.MaxColumns)
            {
                throw new ImportFileException(
                    $"Row {Row} has {count:N0} columns; an import reads at most {_options.MaxColumns:N0}. Is the separator right? The file was read with {ImportCsv.DelimiterName(_format.Delimiter)} as its separator.");
            }

            var cells = new string[count];
            for (var i = 0; i < count; i++)
            {
                cells[i] = _csv.GetString(i);
            }

            return cells;
        }
        catch (ImportFileException)
        {
            throw;
        }
        catch (DecoderFallbackException ex)
        {
            // The reader decodes ahead of the rows it returns: the line is found in the bytes themselves.
            var line = _format.Encoding == ImportCsv.Utf8 ? ImportCsv.FirstInvalidUtf8Line(_path) : null;
            throw new ImportFileException(
                $"{(line is { } n ? $"Line {n:N0}" : $"After row {Row:N0}")}: the file is not {ImportCsv.EncodingLabel(_format.Encoding)} text"
                + $"{(ex.BytesUnknown is { Length: > 0 } b ? " (byte 0x" + Convert.ToHexString(b) + ")" : "")}. "
                + "Choose the encoding it was saved in: Windows-1252 for Excel's plain \"CSV\", UTF-8 for \"CSV UTF-8\".", ex);
        }
        catch (CsvFormatException ex)
        {
            var row = ex.RecordNumber > 0 ? ex.RecordNumber : Row + 1;
            var message = ex.Message.Split('\n')[0].TrimEnd('.');
            throw new ImportFileException(message.Contains(nameof(CsvReaderOptions.MaxRecordSize), StringComparison.Ordinal) || message.Contains("longer", StringComparison.OrdinalIgnoreCase)
                ? $"Row {row:N0}: a row longer than {_options.MaxRowBytes:N0} bytes. Most likely a quote mark opens a cell and is never closed, so the rest of the file reads as one cell."
                : $"Row {row:N0}: the quoting is broken ({message}). A cell with quote marks must be quoted as a whole, with the quotes inside doubled (\"\"); "
                    + "a quote mark that opens a cell and is never closed runs to the end of the file.", ex);
        }
    }

    public void Dispose()
    {
        _csv.Dispose();
        _text.Dispose();
    }
}
