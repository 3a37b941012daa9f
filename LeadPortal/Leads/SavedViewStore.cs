using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Leads;

public sealed record SavedViewRow(int Id, string Name, string Query, bool IsTeam);

public sealed record SavedViews(IReadOnlyList<SavedViewRow> Team, IReadOnlyList<SavedViewRow> Mine, int? DefaultId);

/// <summary>Named inbox views per user and for the team, the view the inbox opens with, and the last one used.</summary>
public sealed class SavedViewStore(IDbContextFactory<LeadPortalDbContext> dbFactory, TimeProvider time)
{
    public const int MaxNameLength = 60;

    public async Task<SavedViews> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var views = await db.SavedViews.AsNoTracking().Where(v => v.UserId == null || v.UserId == userId)
            .OrderBy(v => v.Name)
            .Select(v => new SavedViewRow(v.Id, v.Name, v.Query, v.UserId == null))
            .ToListAsync(cancellationToken);
        var defaultId = await db.InboxSettings.Where(s => s.UserId == userId).Select(s => s.DefaultViewId).SingleOrDefaultAsync(cancellationToken);
        return new SavedViews(views.Where(v => v.IsTeam).ToList(), views.Where(v => !v.IsTeam).ToList(), defaultId);
    }

    /// <summary>
    /// Saves the view under a name (replacing the user's — or for a team view the team's — view of that name), optionally
    /// as the user's default. Throws <see cref="ArgumentException"/> with a message for the user when it cannot.
    /// </summary>
    public async Task<int> SaveAsync(string userId, string name, InboxView view, bool forTeam, bool isAdmin, bool makeDefault, CancellationToken cancellationToken = default)
    {
        name = new string((name ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length == 0)
        {
            throw new ArgumentException("Give the view a name.");
        }

        if (name.Length > MaxNameLength)
        {
            throw new ArgumentException($"A view's name can be at most {MaxNameLength} characters.");
        }

        if (forTeam && !isAdmin)
        {
            throw new ArgumentException("Only admins make team views.");
        }

        var query = (view with { Page = 0 }).ToQueryString();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = forTeam ? null : userId;
        var saved = await db.SavedViews.SingleOrDefaultAsync(v => v.UserId == owner && v.Name == name, cancellationToken);
        if (saved is null)
        {
            saved = new SavedView { UserId = owner, Name = name, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.SavedViews.Add(saved);
        }

        saved.Query = query;
        await db.SaveChangesAsync(cancellationToken);
        if (makeDefault)
        {
            await SetDefaultAsync(db, userId, saved.Id, cancellationToken);
        }

        return saved.Id;
    }

    /// <summary>Deletes one of the user's views, or a team view when the user is an admin; false when it was not theirs to delete.</summary>
    public async Task<bool> DeleteAsync(string userId, int id, bool isAdmin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SavedViews.Where(v => v.Id == id && (v.UserId == userId || (v.UserId == null && isAdmin)))
            .ExecuteDeleteAsync(cancellationToken) == 1;
    }

    /// <summary>The view the inbox opens with (null: the whole inbox).</summary>
    public async Task SetDefaultAsync(string userId, int? viewId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await SetDefaultAsync(db, userId, viewId, cancellationToken);
    }

    /// <summary>Remembers the view the user has open, so the inbox opens on it next time (unless a default is set).</summary>
    public async Task RememberAsync(string userId, InboxView view, CancellationToken cancellationToken = default)
    {
        var query = Rememberable(view);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await SettingsAsync(db, userId, cancellationToken);
        if (settings.LastQuery != query)
        {
            settings.LastQuery = query;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The part of a view worth coming back to: filters, sort and page size, but not the page, a one-off search or a
    /// selection (opening the inbox tomorrow on yesterday's search would look like missing leads).
    /// </summary>
    public static string Rememberable(InboxView view) =>
        (view with { Page = 0, Filter = view.Filter with { Text = null, Ids = null } }).ToQueryString();

    /// <summary>Where the inbox starts for this user: their default view, else the last view they had open, else the whole inbox.</summary>
    public async Task<string?> StartQueryAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await db.InboxSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (settings?.DefaultViewId is { } id
            && await db.SavedViews.Where(v => v.Id == id && (v.UserId == null || v.UserId == userId)).Select(v => v.Query).SingleOrDefaultAsync(cancellationToken) is { } query)
        {
            return query;
        }

        return string.IsNullOrEmpty(settings?.LastQuery) ? null : settings.LastQuery;
    }

    private static async Task SetDefaultAsync(LeadPortalDbContext db, string userId, int? viewId, CancellationToken cancellationToken)
    {
        if (viewId is { } id && !await db.SavedViews.AnyAsync(v => v.Id == id && (v.UserId == null || v.UserId == userId), cancellationToken))
        {
            throw new ArgumentException("That view does not exist.");
        }

        var settings = await SettingsAsync(db, userId, cancellationToken);
        settings.DefaultViewId = viewId;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<InboxSettings> SettingsAsync(LeadPortalDbContext db, string userId, CancellationToken cancellationToken)
    {
        var settings = await db.InboxSettings.SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (settings is null)
        {
            settings = new InboxSettings { UserId = userId };
            db.InboxSettings.Add(settings);
        }

        return settings;
    }
}
