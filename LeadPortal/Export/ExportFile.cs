using System.IO.Compression;
using LeadPortal.Mapping;
using Microsoft.Net.Http.Headers;

namespace LeadPortal.Export;

/// <summary>An export over its profile's file limit when the profile says to refuse it; nothing was sent or recorded.</summary>
public sealed class ExportOverLimitException(string message) : Exception(message);

/// <summary>
/// The file an export becomes in the response: one CSV, or — when the profile's row or byte limit splits it — a ZIP of
/// numbered CSVs, each within the limit and each with the header. With limits, the first part is written to a temporary
/// file until it is known whether a second follows (so the answer is a CSV or a ZIP, decided before anything is sent),
/// and a ZIP is built in a temporary file too (ZipArchive writes synchronously, which a response body refuses) and sent
/// whole at the end; without limits the CSV streams straight out. Memory stays at a buffer either way.
/// </summary>
public sealed class ExportFile(HttpContext context, string csvFileName, CompiledMapping mapping) : IAsyncDisposable
{
    private Stream? _first;
    private Stream? _zipFile;
    private ZipArchive? _zip;
    private Stream? _entry;

    /// <summary>How many files the export became (1 for a plain CSV).</summary>
    public int Parts { get; private set; }

    public async ValueTask<Stream> NextPartAsync(int part, CancellationToken cancellationToken)
    {
        Parts = part;
        if (part == 1)
        {
            if (!mapping.HasFileLimits)
            {
                StartResponse("text/csv; charset=utf-8", csvFileName);
                return context.Response.Body;
            }

            _first = TemporaryFile();
            return _first;
        }

        if (mapping.OverLimit == OverLimit.Refuse)
        {
            throw new ExportOverLimitException($"These leads do not fit one file within the mapping's limit of {LimitText(mapping)}, " +
                "and the mapping says to refuse rather than split. Narrow the inbox filter, or let the mapping split the export into a ZIP.");
        }

        if (part == 2)
        {
            _zipFile = TemporaryFile();
            _zip = await ZipArchive.CreateAsync(_zipFile, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            await using (var entry = await _zip.CreateEntry(PartName(1)).OpenAsync(cancellationToken))
            {
                _first!.Position = 0;
                await _first.CopyToAsync(entry, cancellationToken);
            }

            await _first.DisposeAsync();
            _first = null;
        }
        else
        {
            await _entry!.DisposeAsync();
        }

        _entry = await _zip!.CreateEntry(PartName(part)).OpenAsync(cancellationToken);
        return _entry;
    }

    /// <summary>
    /// Sends what is still held back (the single CSV from its temporary file, or the ZIP's last entry and directory) and
    /// flushes it. Throws <see cref="OperationCanceledException"/> when the browser has hung up: Kestrel ignores writes to
    /// a connection it knows is gone instead of failing them, so only the request's token tells.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_first is not null)
        {
            StartResponse("text/csv; charset=utf-8", csvFileName);
            _first.Position = 0;
            await _first.CopyToAsync(context.Response.Body, cancellationToken);
        }
        else if (_zip is not null)
        {
            await _entry!.DisposeAsync();
            _entry = null;
            await _zip.DisposeAsync();
            _zip = null;
            StartResponse("application/zip", Path.ChangeExtension(csvFileName, ".zip"));
            _zipFile!.Position = 0;
            await _zipFile.CopyToAsync(context.Response.Body, cancellationToken);
        }

        await context.Response.Body.FlushAsync(cancellationToken);
        context.RequestAborted.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Ends the response (the last chunk, which tells the browser the file is whole); false when the browser had hung up
    /// by then. True means every byte was handed to the connection: the last of them can still be in the sockets'
    /// buffers, which no server sees past.
    /// </summary>
    public async Task<bool> EndAsync()
    {
        await context.Response.CompleteAsync();
        return !context.RequestAborted.IsCancellationRequested;
    }

    public async ValueTask DisposeAsync()
    {
        if (_zip is not null)
        {
            _entry?.Dispose();
            _entry = null;
            _zip.Dispose();
        }

        foreach (var stream in new[] { _entry, _first, _zipFile })
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    public static string LimitText(CompiledMapping mapping) => (mapping.MaxRowsPerFile, mapping.MaxBytesPerFile) switch
    {
        ({ } rows, { } bytes) => $"{rows:N0} rows and {Megabytes(bytes)}",
        ({ } rows, null) => $"{rows:N0} rows",
        (null, { } bytes) => Megabytes(bytes),
        _ => "none",
    };

    private static string Megabytes(long bytes) => $"{bytes / 1_000_000.0:0.#} MB";

    private static FileStream TemporaryFile() =>
        new(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);

    private string PartName(int part) => $"{Path.GetFileNameWithoutExtension(csvFileName)}-part-{part:00}.csv";

    private void StartResponse(string contentType, string fileName)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName, FileName = fileName }.ToString();
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        // nginx (the README's proxy) buffers a response by default, to a temporary file if need be: it would take the
        // whole file at once and the export count as sent, while the browser was still at 20% and could still cancel.
        // Unbuffered, the file leaves at the browser's pace and a cancelled download reaches LeadPortal as one.
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }
}
