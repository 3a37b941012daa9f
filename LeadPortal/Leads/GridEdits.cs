using LeadPortal.Data;

namespace LeadPortal.Leads;

/// <summary>What a change made in a grid row came to, and what the user reads about it.</summary>
/// <param name="Undo">Puts the lead back as the row showed it (null: nothing to undo, or not safely).</param>
public sealed record GridOutcome(string Message, GridOutcomeKind Kind, Func<Task<GridOutcome>>? Undo = null);

public enum GridOutcomeKind
{
    Changed,
    AlreadySo,

    /// <summary>A colleague changed the lead since the row was read: nothing was saved; the message says how it is now.</summary>
    ChangedMeanwhile,
    Gone,
}

/// <summary>
/// Status and owner changed in place in the inbox grid: one lead, through the bulk methods with one target, so the
/// change is made only if the lead is still as the row showed it (and its version guards the write itself).
/// </summary>
public sealed class GridEdits(LeadWorkflow workflow, LeadQuery query)
{
    public async Task<GridOutcome> ChangeStatusAsync(LeadListRow row, LeadStatus status, StatusDetails? details, string? userId) =>
        await RunAsync(row, "status", async () => await workflow.ChangeStatusAsync([new BulkTarget(row.Id, row.OwnerId, row.Status)], status, userId, details),
            $"{Name(row)}: status set to {status}.",
            // A reason or a deal went with the old status, and an undo could not give it back as it was.
            row.Status is LeadStatus.Disqualified or LeadStatus.Converted
                ? null
                : () => RunAsync(row with { Status = status }, "status",
                    async () => await workflow.ChangeStatusAsync([new BulkTarget(row.Id, row.OwnerId, status)], row.Status, userId),
                    $"{Name(row)}: status back to {row.Status}.", null));

    public async Task<GridOutcome> AssignAsync(LeadListRow row, string? ownerId, string? ownerName, string? userId)
    {
        ownerId = string.IsNullOrEmpty(ownerId) ? null : ownerId;
        return await RunAsync(row, "owner", async () => await workflow.AssignOwnerAsync([new BulkTarget(row.Id, row.OwnerId, row.Status)], ownerId, userId),
            ownerId is null ? $"{Name(row)}: owner removed." : $"{Name(row)}: assigned to {ownerName ?? "them"}.",
            () => RunAsync(row with { OwnerId = ownerId, OwnerName = ownerName }, "owner",
                async () => await workflow.AssignOwnerAsync([new BulkTarget(row.Id, ownerId, row.Status)], row.OwnerId, userId),
                row.OwnerId is null ? $"{Name(row)}: unassigned again." : $"{Name(row)}: back with {row.OwnerName}.", null));
    }

    /// <summary>"A colleague changed it meanwhile": what the user reads when the row was out of date, with the lead's value now.</summary>
    public static string Meanwhile(LeadListRow seen, LeadListRow? now, string what) => now is null
        ? $"{Name(seen)} is no longer there; nothing was changed."
        : what == "owner"
            ? $"A colleague changed {Name(seen)} meanwhile; nothing was saved. The owner is now {now.OwnerName ?? "nobody"} and the status {now.Status}."
            : $"A colleague changed {Name(seen)} meanwhile; nothing was saved. The status is now {now.Status} and the owner {now.OwnerName ?? "nobody"}.";

    private async Task<GridOutcome> RunAsync(LeadListRow row, string what, Func<Task<BulkResult>> change, string done, Func<Task<GridOutcome>>? undo)
    {
        BulkResult result;
        try
        {
            result = await change();
        }
        catch (LeadChangedMeanwhileException)
        {
            result = new BulkResult(0, 0, 1, 0);
        }

        if (result.Changed == 1)
        {
            return new GridOutcome(done, GridOutcomeKind.Changed, undo);
        }

        if (result.AlreadySo == 1)
        {
            return new GridOutcome($"{Name(row)}: already so.", GridOutcomeKind.AlreadySo);
        }

        var current = (await query.GetPageAsync(new LeadFilter { Ids = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ShowTest = true },
            LeadSort.Received, true, 0, 1, TimeZoneInfo.Utc)).Rows.SingleOrDefault();
        return new GridOutcome(Meanwhile(row, current, what), current is null ? GridOutcomeKind.Gone : GridOutcomeKind.ChangedMeanwhile);
    }

    private static string Name(LeadListRow row) => row.Name is { Length: > 0 } name ? name : row.Company ?? $"Lead {row.Id}";
}
