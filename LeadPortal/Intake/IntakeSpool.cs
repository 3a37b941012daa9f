using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LeadPortal.Data;
using LeadPortal.Shared;
using Microsoft.Extensions.Options;

namespace LeadPortal.Intake;

public sealed class SpoolOptions
{
    public const string Section = "Intake:Spool";

    /// <summary>Keep leads in a local file while the store cannot take them (answered 202), and store them when it returns. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The folder (relative to the app's folder, or absolute). It must survive a restart: a volume, not a container's scratch disk.</summary>
    [Required]
    public string Path { get; set; } = "App_Data/intake-spool";

    /// <summary>Beyond this many megabytes waiting, leads are answered 503 again (a disk is finite). Default 1024.</summary>
    [Range(1, 1_000_000)]
    public int MaxMegabytes { get; set; } = 1024;
}

/// <summary>A lead kept in the spool: the body as received, and what the delivery log needs of the request.</summary>
public sealed record SpooledLead(DateTime ReceivedAt, int? KeyId, string? ClientIp, string Body);

/// <summary>
/// Partner Center documents no retry: a 503 while the store is unreachable (a PostgreSQL failover, a network cut) can
/// lose a lead for good. So a lead the writer could not store because the store is unavailable is appended to a local
/// file and fsync'd, and only then answered 202 Accepted; this instance stores the spooled leads through the ordinary
/// writer as soon as the store takes writes again (duplicates of leads that did commit after all are recognised by their
/// body), then deletes the file. One file per instance (<c>&lt;instance&gt;.spool</c>) beside a lock file the instance holds
/// while it runs: the spool of an instance that died is stored by the next instance that finds it (in a shared folder,
/// or the same instance restarted). Each store has its own subfolder (named by a hash of its file, or host, port and
/// database), so a folder shared by several deployments never mixes them.
/// </summary>
public sealed class IntakeSpool : BackgroundService, IStoreFallback
{
    private static readonly TimeSpan ReplayInterval = TimeSpan.FromSeconds(1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SpoolOptions _options;
    private readonly LeadWriter _writer;
    private readonly TimeProvider _time;
    private readonly ILogger<IntakeSpool> _logger;
    private readonly string _folder;
    private readonly string _name;
    private readonly SemaphoreSlim _append = new(1, 1);
    private FileStream? _instanceLock;
    private long _waiting = -1;
    private DateTime? _since;
    private readonly LogThrottle _failureLog;

    public IntakeSpool(IOptions<SpoolOptions> options, LeadWriter writer, Background.InstanceIdentity instance, StoreConnection store, StoreDialect dialect,
        IHostEnvironment environment, TimeProvider time, ILogger<IntakeSpool> logger)
    {
        _options = options.Value;
        _writer = writer;
        _time = time;
        _logger = logger;
        _failureLog = new LogThrottle(time, LogThrottle.DefaultInterval);
        // A folder per store: a spool is only ever stored into the store it was kept for, whoever shares the folder.
        var storeFolder = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dialect.Identify(store.ConnectionString))))[..16];
        _folder = System.IO.Path.Combine(System.IO.Path.GetFullPath(_options.Path, environment.ContentRootPath), storeFolder);
        _name = string.Concat(instance.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
    }

    public bool Enabled => _options.Enabled;

    public bool KeepsLeadsWithoutStore => Enabled && Usable;

    public string FallbackDescription => $"leads are kept in the local spool ({_folder}), answered 202, and stored when it returns";

    /// <summary>The folder could be taken at start (created, and this instance's lock in it).</summary>
    public bool Usable => _instanceLock is not null;

    public string Folder => _folder;

    /// <summary>Leads waiting in this instance's spool (and any it took over), or 0.</summary>
    public long Waiting => Math.Max(0, Interlocked.Read(ref _waiting));

    /// <summary>When the oldest waiting lead was spooled (null when none waits).</summary>
    public DateTime? Since => Waiting > 0 ? _since : null;

    private string OwnFile => System.IO.Path.Combine(_folder, _name + ".spool");

    /// <summary>Appends the lead and flushes it to the disk; false when it cannot (disk full, over the size cap, spool off).</summary>
    public async Task<bool> TryAppendAsync(SpooledLead lead)
    {
        if (!_options.Enabled)
        {
            return false;
        }

        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(lead, Json) + "\n");
        await _append.WaitAsync();
        try
        {
            Directory.CreateDirectory(_folder);
            if (SpooledBytes() + line.Length > _options.MaxMegabytes * 1024L * 1024L)
            {
                if (_failureLog.ShouldLog("full", out var suppressed))
                {
                    _logger.LogError("The intake spool holds {Megabytes} MB already; a lead is answered 503.{More}", _options.MaxMegabytes, LogThrottle.More(suppressed));
                }

                return false;
            }

            await using (var file = new FileStream(OwnFile, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough))
            {
                await file.WriteAsync(line);
                file.Flush(flushToDisk: true);
            }

            _since ??= _time.GetUtcNow().UtcDateTime;
            if (Interlocked.Increment(ref _waiting) == 1)
            {
                _logger.LogWarning("The store cannot take leads: keeping them in the local spool {Folder} (answered 202) until it can.", _folder);
            }

            return true;
        }
        catch (IOException ex)
        {
            if (_failureLog.ShouldLog(ex.GetType().Name + ex.HResult, out var suppressed))
            {
                _logger.LogError(ex, "A lead could not be written to the intake spool {Folder}; it is answered 503.{More}", _folder, LogThrottle.More(suppressed));
            }

            return false;
        }
        finally
        {
            _append.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(_folder);
            // Held while this instance runs: another instance sharing the folder leaves this one's spool alone.
            _instanceLock = new FileStream(System.IO.Path.Combine(_folder, _name + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(ex, "The intake spool folder {Folder} cannot be used; leads are answered 503 while the store is unavailable.", _folder);
            return;
        }

        Interlocked.Exchange(ref _waiting, CountWaiting());
        using var timer = new PeriodicTimer(ReplayInterval, _time);
        do
        {
            try
            {
                await ReplayAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Storing spooled leads failed; trying again shortly.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _instanceLock?.Dispose();
    }

    /// <summary>Stores every spooled lead this instance may take: its own, and those of instances that are gone.</summary>
    public async Task ReplayAsync(CancellationToken cancellationToken = default)
    {
        foreach (var owner in Claimable())
        {
            await ReplayFileAsync(System.IO.Path.Combine(_folder, owner + ".spool"), cancellationToken);
        }

        ForgetGoneInstances();
    }

    /// <summary>Every start has a new instance name: the lock files of instances that are gone and left nothing go too.</summary>
    private void ForgetGoneInstances()
    {
        if (!Directory.Exists(_folder))
        {
            return;
        }

        foreach (var lockFile in Directory.GetFiles(_folder, "*.lock"))
        {
            var owner = System.IO.Path.GetFileNameWithoutExtension(lockFile);
            if (owner != _name && !File.Exists(System.IO.Path.Combine(_folder, owner + ".spool"))
                && !File.Exists(System.IO.Path.Combine(_folder, owner + ".spool.replay")) && OwnerIsGone(owner))
            {
                try
                {
                    File.Delete(lockFile);
                }
                catch (IOException)
                {
                    // Taken again meanwhile: left for next time.
                }
            }
        }
    }

    /// <summary>This instance's spool, and the spool of every instance whose lock is free (it stopped or died).</summary>
    private IEnumerable<string> Claimable()
    {
        if (!Directory.Exists(_folder))
        {
            return [];
        }

        return Directory.GetFiles(_folder, "*.spool").Concat(Directory.GetFiles(_folder, "*.spool.replay"))
            .Select(f => System.IO.Path.GetFileName(f).Split('.')[0])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Where(owner => owner == _name || OwnerIsGone(owner))
            .ToList();
    }

    private bool OwnerIsGone(string owner)
    {
        try
        {
            using var probe = new FileStream(System.IO.Path.Combine(_folder, owner + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private async Task ReplayFileAsync(string path, CancellationToken cancellationToken)
    {
        // Set aside under the append lock: new leads go to a fresh file meanwhile; this one is read whole.
        var replaying = path + ".replay";
        await _append.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(path) && File.Exists(replaying))
            {
                // Left by a replay that was interrupted: its leads go first (any stored already are found as duplicates).
                var rest = await File.ReadAllBytesAsync(path, cancellationToken);
                await using (var append = new FileStream(replaying, FileMode.Append, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                {
                    await append.WriteAsync(rest, cancellationToken);
                    append.Flush(flushToDisk: true);
                }

                File.Delete(path);
            }
            else if (File.Exists(path))
            {
                File.Move(path, replaying);
            }
            else if (!File.Exists(replaying))
            {
                return;
            }
        }
        finally
        {
            _append.Release();
        }

        var leads = (await File.ReadAllLinesAsync(replaying, cancellationToken)).Select(Parse).OfType<SpooledLead>().ToList();
        // A few hundred at a time, so the writer groups them into few commits.
        foreach (var chunk in leads.Chunk(200))
        {
            var submitted = chunk.Select(Submit).OfType<Task<IntakeResult>>().ToList();
            try
            {
                await Task.WhenAll(submitted);
            }
            catch (LeadNotStoredException)
            {
                // Still unavailable: the file stays as it is and is read again from the top next time (what did commit is then
                // recognised as a duplicate of itself).
                return;
            }
        }

        File.Delete(replaying);
        await _append.WaitAsync(cancellationToken);
        try
        {
            Interlocked.Exchange(ref _waiting, CountWaiting());
            if (Waiting == 0)
            {
                _since = null;
            }
        }
        finally
        {
            _append.Release();
        }

        _logger.LogInformation("Stored {Count} lead(s) kept in the intake spool while the store was unavailable.", leads.Count);
    }

    /// <summary>Hands a spooled lead to the writer; null for a body today's parser refuses (there is nothing to store).</summary>
    private Task<IntakeResult>? Submit(SpooledLead lead)
    {
        var bytes = Encoding.UTF8.GetBytes(lead.Body);
        if (!LeadPayloadParser.TryParse(bytes, out var parsed, out _))
        {
            _logger.LogWarning("A spooled lead received at {At:O} is no longer a valid lead; it is dropped from the spool.", lead.ReceivedAt);
            return null;
        }

        return _writer.SubmitAsync(new IntakeWork
        {
            Delivery = new DeliveryLogEntry
            {
                ReceivedAt = lead.ReceivedAt,
                ClientIp = lead.ClientIp,
                IntakeKeyId = lead.KeyId,
                BodySize = bytes.Length,
                Reason = "Kept in the local spool while the store was unavailable, stored when it returned.",
            },
            Lead = parsed,
            RawBody = lead.Body,
            BodyHash = SHA256.HashData(bytes),
        });
    }

    private static SpooledLead? Parse(string line)
    {
        try
        {
            return line.Length == 0 ? null : JsonSerializer.Deserialize<SpooledLead>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private long CountWaiting() => Claimable()
        .SelectMany(owner => new[] { owner + ".spool", owner + ".spool.replay" })
        .Select(f => System.IO.Path.Combine(_folder, f))
        .Where(File.Exists)
        .Sum(f => File.ReadLines(f).LongCount(l => l.Length > 0));

    private long SpooledBytes() =>
        Directory.Exists(_folder) ? Directory.GetFiles(_folder).Where(f => f.EndsWith(".spool", StringComparison.Ordinal) || f.EndsWith(".replay", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length) : 0;
}
