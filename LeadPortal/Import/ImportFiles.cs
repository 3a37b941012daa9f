using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace LeadPortal.Import;

/// <summary>The uploaded file is larger than an import takes.</summary>
public sealed class ImportTooLargeException(long limit) : Exception($"The file is larger than {limit / (1024 * 1024):N0} MB, the most an import takes: split it into several files.");

/// <summary>
/// Uploads wait here, under the app's data folder, from the upload to the end of the import: the upload is copied from
/// the browser's stream (never held whole in memory, never a byte[] over the circuit), and deleted when the import ends,
/// is cancelled or the file is refused.
/// </summary>
public sealed class ImportFiles(IOptions<ImportOptions> options, IHostEnvironment environment)
{
    private string Folder => Path.GetFullPath(options.Value.Folder, environment.ContentRootPath);

    public string PathOf(long runId) => Path.Combine(Folder, $"import-{runId}.csv");

    /// <summary>Copies the upload to a new file; its path, size and SHA-256. Nothing is left behind when it fails.</summary>
    public async Task<(string Path, long Bytes, string Sha256)> SaveAsync(Stream upload, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"upload-{Guid.NewGuid():N}.csv");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await upload.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > options.Value.MaxFileBytes)
                    {
                        throw new ImportTooLargeException(options.Value.MaxFileBytes);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return (path, total, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Gives a saved upload its run's name.</summary>
    public void Claim(string uploadPath, long runId) => File.Move(uploadPath, PathOf(runId), overwrite: true);

    public void Delete(long runId) => TryDelete(PathOf(runId));

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
