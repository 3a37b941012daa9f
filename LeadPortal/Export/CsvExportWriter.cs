using System.Threading.Channels;
using CsvHelper;
using LeadPortal.Mapping;

namespace LeadPortal.Export;

/// <summary>Streams mapped leads to a CSV file for a CRM import wizard.</summary>
public static class CsvExportWriter
{
    // Flushing now and then lets a download make progress while a slow query is still producing rows.
    private const int FlushEveryRows = 1000;

    // Rows are read ahead on another thread in blocks: a few blocks in flight bound the memory used.
    private const int BlockRows = 256;
    private const int BlocksAhead = 4;

    /// <summary>
    /// Writes the header row, then one record per lead that <see cref="CompiledMapping.Includes"/> accepts,
    /// as UTF-8 (RFC 4180 quoting, CRLF) with the profile's separator and byte order mark. Every cell is
    /// exactly as <see cref="CompiledMapping.Map"/> gives it (cleaned, guarded, within its length). Rows are streamed, never collected;
    /// <paramref name="output"/> is flushed but left open.
    /// </summary>
    /// <remarks>
    /// A lead the CRM would refuse (a required value empty, a value kept whole over its length) is not written: it is
    /// counted in <paramref name="tally"/> as skipped, so it is never taken for exported.
    /// </remarks>
    /// <returns>The number of lead rows written, the header not counted.</returns>
    public static Task<int> WriteAsync(
        CompiledMapping mapping,
        IAsyncEnumerable<LeadRow> rows,
        Stream output,
        CancellationToken ct,
        ExportTally? tally = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        return WriteAsync(mapping, rows, (_, _) => ValueTask.FromResult(output), ct, tally, splitByLimits: false);
    }

    /// <summary>
    /// As above, but a new part (a file of its own, header first) begins whenever the next row would take the current
    /// one past the profile's <see cref="CompiledMapping.MaxRowsPerFile"/> or <see cref="CompiledMapping.MaxBytesPerFile"/>.
    /// <paramref name="nextPart"/> gets the part number (1, 2, …) and returns its stream; asking for the next part
    /// finishes the previous one. Bytes are counted as if every cell were quoted, so no part is ever over the limit.
    /// </summary>
    public static Task<int> WriteAsync(
        CompiledMapping mapping,
        IAsyncEnumerable<LeadRow> rows,
        Func<int, CancellationToken, ValueTask<Stream>> nextPart,
        CancellationToken ct,
        ExportTally? tally = null) =>
        WriteAsync(mapping, rows, nextPart, ct, tally, splitByLimits: true);

    private static async Task<int> WriteAsync(
        CompiledMapping mapping,
        IAsyncEnumerable<LeadRow> rows,
        Func<int, CancellationToken, ValueTask<Stream>> nextPart,
        CancellationToken ct,
        ExportTally? tally,
        bool splitByLimits)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(rows);

        var options = new CsvWriterOptions
        {
            Separator = Separator(mapping.Delimiter),
            NewLine = "\r\n",
            Quoting = CsvQuoting.WhenNeeded,
            // Neutralised here rather than by CsvHelper, which cannot spare phone numbers such as "+46 8 555 0101".
            Injection = CsvInjection.None,
            WriteByteOrderMark = mapping.Utf8Bom,
        };

        var maxRows = splitByLimits ? mapping.MaxRowsPerFile : null;
        var maxBytes = splitByLimits ? mapping.MaxBytesPerFile : null;
        var headers = mapping.Headers;
        var headerBytes = (mapping.Utf8Bom ? 3 : 0) + RecordBytes(headers);
        var part = 0;
        var partRows = 0;
        var partBytes = 0L;

        // Only asynchronous writes and flushes: ASP.NET Core response bodies reject synchronous I/O.
        CsvWriter? csv = null;
        async Task StartPartAsync()
        {
            if (csv is not null)
            {
                await csv.FlushAsync(ct);
                await csv.DisposeAsync();
            }

            var output = await nextPart(++part, ct);
            csv = CsvWriter.Create(output, options, leaveOpen: true);
            await csv.WriteRecordAsync(headers, ct);
            partRows = 0;
            partBytes = headerBytes;
        }

        await StartPartAsync();

        // Reading leads (SQLite, materialising) and writing CSV take about as long as each other: on two threads
        // the export takes the time of the slower half instead of the sum (a million leads: 12 s → 7 s).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var blocks = Channel.CreateBounded<LeadRow[]>(new BoundedChannelOptions(BlocksAhead) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ReadAheadAsync(rows, blocks.Writer, stop.Token), CancellationToken.None);
        var written = 0;
        try
        {
            await foreach (var block in blocks.Reader.ReadAllAsync(ct))
            {
                foreach (var row in block)
                {
                    if (!mapping.Includes(row))
                    {
                        continue;
                    }

                    var mapped = mapping.Map(row);
                    if (!mapped.IsComplete)
                    {
                        tally?.Skip(row.Id);
                        continue;
                    }

                    if (maxRows is not null || maxBytes is not null)
                    {
                        var rowBytes = RecordBytes(mapped.Values);
                        if (headerBytes + rowBytes > maxBytes)
                        {
                            throw new InvalidOperationException(
                                $"Lead {row.Id} alone takes {rowBytes:N0} bytes, more than the profile's file limit of {maxBytes:N0} bytes.");
                        }

                        if (partRows > 0 && (partRows + 1 > maxRows || partBytes + rowBytes > maxBytes))
                        {
                            await StartPartAsync();
                        }

                        partBytes += rowBytes;
                    }

                    await csv!.WriteRecordAsync(mapped.Values, ct);
                    partRows++;
                    tally?.Write(row.Id);
                    written++;
                    if (written % FlushEveryRows == 0)
                    {
                        await csv.FlushAsync(ct);
                    }
                }
            }
        }
        finally
        {
            // A failed write (the client went away) stops the reader; a failed read surfaces through ReadAllAsync.
            await stop.CancelAsync();
            await reader;
        }

        await csv!.FlushAsync(ct);
        await csv.DisposeAsync();
        return written;
    }

    /// <summary>
    /// What a record takes at most in the file: every cell quoted with its quotes doubled, separators and CRLF. Never
    /// less than CsvHelper writes, so a part counted within its limit is within it.
    /// </summary>
    internal static long RecordBytes(string[] values)
    {
        long bytes = values.Length - 1 + 2;
        foreach (var value in values)
        {
            bytes += System.Text.Encoding.UTF8.GetByteCount(value) + value.AsSpan().Count('"') + 2;
        }

        return bytes;
    }

    private static async Task ReadAheadAsync(IAsyncEnumerable<LeadRow> rows, ChannelWriter<LeadRow[]> blocks, CancellationToken ct)
    {
        try
        {
            var block = new List<LeadRow>(BlockRows);
            await foreach (var row in rows.WithCancellation(ct))
            {
                block.Add(row);
                if (block.Count == BlockRows)
                {
                    await blocks.WriteAsync(block.ToArray(), ct);
                    block.Clear();
                }
            }

            if (block.Count > 0)
            {
                await blocks.WriteAsync(block.ToArray(), ct);
            }

            blocks.Complete();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            blocks.TryComplete();
        }
        catch (Exception error)
        {
            blocks.TryComplete(error);
        }
    }

    private static char Separator(CsvDelimiter delimiter) => delimiter switch
    {
        CsvDelimiter.Semicolon => ';',
        CsvDelimiter.Tab => '\t',
        _ => ',',
    };
}
