using System.Security.Claims;
using System.Text;
using LeadPortal.Data;
using LeadPortal.Intake;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Admin;

public sealed record ReprocessProgress(
    bool Running, int Total, int Processed, int Changed, int Unparsable, DateTime? StartedAt, DateTime? FinishedAt, string? StartedBy, string? Error)
{
    public double Percent => Total == 0 ? (FinishedAt is null ? 0 : 100) : 100.0 * Processed / Total;
}

/// <summary>
/// Re-derives every lead's parsed columns from its stored raw body (after a parser fix), in the background,
/// in small transactions so the intake endpoint keeps committing between them.
/// </summary>
public sealed class ReprocessJob(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit, TimeProvider time, ILogger<ReprocessJob> logger)
{
    public const int BatchSize = 500;

    private readonly Lock _gate = new();
    private ReprocessProgress _progress = new(false, 0, 0, 0, 0, null, null, null, null);

    public event Action<ReprocessProgress>? ProgressChanged;

    public ReprocessProgress Progress => _progress;

    public Task? Current { get; private set; }

    /// <summary>Starts a run unless one is going; false when one is.</summary>
    public bool TryStart(ClaimsPrincipal actor)
    {
        lock (_gate)
        {
            if (_progress.Running)
            {
                return false;
            }

            _progress = new ReprocessProgress(true, 0, 0, 0, 0, time.GetUtcNow().UtcDateTime, null, actor.Identity?.Name, null);
            Current = Task.Run(() => RunAsync(actor));
            return true;
        }
    }

    private async Task RunAsync(ClaimsPrincipal actor)
    {
        try
        {
            await audit.RecordAsync(actor, AuditActions.ReprocessStarted, "All leads");
            int total;
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                total = await db.Leads.CountAsync();
            }

            Report(p => p with { Total = total });
            long lastId = 0;
            while (true)
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var batch = await db.Leads.Include(l => l.Payload).Where(l => l.Id > lastId).OrderBy(l => l.Id).Take(BatchSize).ToListAsync();
                if (batch.Count == 0)
                {
                    break;
                }

                int changed = 0, unparsable = 0;
                foreach (var lead in batch)
                {
                    if (LeadPayloadParser.TryParse(Encoding.UTF8.GetBytes(lead.Payload?.Body ?? ""), out var parsed, out _))
                    {
                        parsed.ApplyTo(lead);
                        if (db.Entry(lead).Properties.Any(p => p.IsModified))
                        {
                            changed++;
                        }
                    }
                    else
                    {
                        unparsable++;
                    }
                }

                await db.SaveChangesAsync();
                lastId = batch[^1].Id;
                Report(p => p with { Processed = p.Processed + batch.Count, Changed = p.Changed + changed, Unparsable = p.Unparsable + unparsable });
            }

            var done = _progress;
            await audit.RecordAsync(actor, AuditActions.ReprocessFinished, "All leads",
                $"{done.Processed} leads read, {done.Changed} changed, {done.Unparsable} could not be parsed");
            Report(p => p with { Running = false, FinishedAt = time.GetUtcNow().UtcDateTime, Total = Math.Max(p.Total, p.Processed) });
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Reprocessing failed.");
            Report(p => p with { Running = false, FinishedAt = time.GetUtcNow().UtcDateTime, Error = ex.Message });
        }
    }

    private void Report(Func<ReprocessProgress, ReprocessProgress> change)
    {
        ReprocessProgress progress;
        lock (_gate)
        {
            progress = _progress = change(_progress);
        }

        ProgressChanged?.Invoke(progress);
    }
}
