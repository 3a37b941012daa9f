using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Intake;

/// <summary>
/// Checks the key in an intake URL against the stored hashes. Active key hashes are cached briefly so the
/// endpoint does not read the database per request; changes made through this class take effect at once, here and (told
/// through the store, <see cref="StoreSignals.KeysChannel"/>) on every other instance.
/// </summary>
public sealed class IntakeKeyStore
{
    public const string KeyPrefix = "lpk_";

    /// <summary>How long the cached keys are trusted while changes on other instances are heard at once.</summary>
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    /// <summary>How long while the store listener is away (reconnecting): a revocation elsewhere counts within a second.</summary>
    private static readonly TimeSpan DeafCacheLifetime = TimeSpan.FromSeconds(1);

    private readonly IDbContextFactory<LeadPortalDbContext> dbFactory;
    private readonly TimeProvider time;
    private readonly StoreSignals signals;

    private volatile ActiveKeys? _cache;
    private volatile ActiveKeys? _lastKnown;
    private int _version;
    private readonly SemaphoreSlim _loadLock = new(1, 1);

    private sealed record ActiveKeys(DateTimeOffset LoadedAt, (int Id, byte[] Hash)[] Keys);

    public sealed record CreatedKey(int Id, string Name, string Secret);

    public IntakeKeyStore(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time, StoreSignals signals)
    {
        this.dbFactory = dbFactory;
        this.time = time;
        this.signals = signals;
        // A singleton for the app's life: the subscription lives as long.
        signals.Subscribe(StoreSignals.KeysChannel, _ => Invalidate(), _ => Invalidate());
    }

    public static string GenerateSecret() => KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>
    /// What the admin pages show of a key: "lpk_" and four random characters of a generated key (24 of its 256 bits),
    /// nothing of a key someone chose, whose start may be most of what makes it secret.
    /// </summary>
    public static string PrefixOf(string secret) =>
        secret.StartsWith(KeyPrefix, StringComparison.Ordinal) && secret.Length == GeneratedLength ? secret[..8] : "";

    private static readonly int GeneratedLength = GenerateSecret().Length;

    /// <summary>The id of the active key matching <paramref name="presented"/>, or null.</summary>
    public async ValueTask<int?> ValidateAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return null;
        }

        var keys = await GetActiveKeysAsync(cancellationToken);
        var hash = Hash(presented);
        int? match = null;
        // Compare against every key in constant time: the response time says nothing about how close a guess came.
        foreach (var (id, stored) in keys.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, stored))
            {
                match = id;
            }
        }

        return match;
    }

    public async Task<CreatedKey> CreateAsync(string name, string? secret = null, CancellationToken cancellationToken = default)
    {
        secret ??= GenerateSecret();
        var key = new IntakeKey
        {
            Name = string.IsNullOrWhiteSpace(name) ? "Intake key" : name.Trim(),
            Prefix = PrefixOf(secret),
            Hash = Hash(secret),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.IntakeKeys.Add(key);
            await db.SaveChangesAsync(cancellationToken);
            await db.Dialect.NotifyAsync(db, StoreSignals.KeysChannel, "created", cancellationToken);
        }

        Invalidate();
        return new CreatedKey(key.Id, key.Name, secret);
    }

    public async Task<bool> RevokeAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = await db.IntakeKeys.Where(k => k.Id == id && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken);
        await db.Dialect.NotifyAsync(db, StoreSignals.KeysChannel, "revoked", cancellationToken);
        Invalidate();
        return changed > 0;
    }

    private TimeSpan Lifetime => signals.Listening ? CacheLifetime : DeafCacheLifetime;

    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _cache = null;
    }

    private async ValueTask<ActiveKeys> GetActiveKeysAsync(CancellationToken cancellationToken)
    {
        var cache = _cache;
        if (cache is not null && time.GetUtcNow() - cache.LoadedAt < Lifetime)
        {
            return cache;
        }

        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            cache = _cache;
            if (cache is not null && time.GetUtcNow() - cache.LoadedAt < Lifetime)
            {
                return cache;
            }

            var version = Volatile.Read(ref _version);
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var keys = await db.IntakeKeys.AsNoTracking().Where(k => k.RevokedAt == null)
                    .Select(k => new { k.Id, k.Hash }).ToListAsync(cancellationToken);
                cache = new ActiveKeys(time.GetUtcNow(), keys.Select(k => (k.Id, k.Hash)).ToArray());
            }
            catch (Exception ex) when (ex is not OperationCanceledException && _lastKnown is { } lastKnown)
            {
                // The store is unreachable: the keys as last read still tell Partner Center from a stranger, so its leads
                // can go to the local spool (a key revoked meanwhile is honoured once the store answers again). Asked again
                // in a couple of seconds, not by every request.
                _cache = lastKnown with { LoadedAt = time.GetUtcNow() - Lifetime + TimeSpan.FromSeconds(2) };
                return lastKnown;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new KeysUnavailableException(ex);
            }

            _lastKnown = cache;
            // A change made while this load ran must not be hidden behind the older snapshot.
            if (version == Volatile.Read(ref _version))
            {
                _cache = cache;
            }

            return cache;
        }
        finally
        {
            _loadLock.Release();
        }
    }
}

/// <summary>The intake keys cannot be read (the store is unreachable) and none were read before: no key can be checked.</summary>
public sealed class KeysUnavailableException(Exception inner) : Exception("The intake keys cannot be read from the store.", inner);
