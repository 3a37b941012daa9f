using System.Security.Claims;
using System.Text.Json;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Mapping;

public sealed record ProfileSummary(int Id, string Name, string? PresetKey, int Columns, DateTime UpdatedAt, string? UpdatedBy);

public sealed record StoredProfile(int Id, string Name, string? PresetKey, MappingDefinition Definition, DateTime UpdatedAt);

/// <summary>The outcome of saving a profile: its id, or the readable reasons it was not saved.</summary>
public sealed record ProfileSaveResult(int? Id, IReadOnlyList<string> Errors)
{
    public bool Succeeded => Id is not null;
}

/// <summary>Mapping profiles in the database. A profile that does not compile is never saved.</summary>
public sealed class MappingProfileStore(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Serialize(MappingDefinition definition) => JsonSerializer.Serialize(definition, Json);

    public static MappingDefinition Deserialize(string json) => JsonSerializer.Deserialize<MappingDefinition>(json, Json) ?? new MappingDefinition();

    public async Task<IReadOnlyList<ProfileSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profiles = await db.MappingProfiles.AsNoTracking().OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return profiles.Select(p => new ProfileSummary(p.Id, p.Name, p.PresetKey, Deserialize(p.DefinitionJson).Columns.Count, p.UpdatedAt, p.UpdatedBy)).ToList();
    }

    public async Task<StoredProfile?> GetAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profile = await db.MappingProfiles.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return profile is null ? null : new StoredProfile(profile.Id, profile.Name, profile.PresetKey, Deserialize(profile.DefinitionJson), profile.UpdatedAt);
    }

    /// <summary>
    /// A new profile from a built-in preset, named "… (copy)" (numbered when taken). Its dates are in
    /// <paramref name="timeZone"/> (the user's) when given, else in the preset's zone.
    /// </summary>
    public async Task<ProfileSaveResult> CopyPresetAsync(string presetKey, ClaimsPrincipal actor, TimeZoneInfo? timeZone = null, CancellationToken cancellationToken = default)
    {
        var preset = Presets.Get(presetKey);
        if (preset is null)
        {
            return new ProfileSaveResult(null, [$"There is no preset \"{presetKey}\"."]);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.MappingProfiles.Select(p => p.Name).ToListAsync(cancellationToken);
        var name = $"{preset.Name} (copy)";
        for (var n = 2; names.Contains(name, StringComparer.OrdinalIgnoreCase); n++)
        {
            name = $"{preset.Name} (copy {n})";
        }

        return await SaveAsync(null, name, InZone(preset.Definition, timeZone), actor, preset.Key, cancellationToken);
    }

    /// <summary>
    /// An unsaved mapping to start from a preset: its own copy of the preset's columns, under the preset's name (with a
    /// number when a mapping has that name already), with dates in <paramref name="timeZone"/> (the user's) when given.
    /// Nothing is stored until it is saved. Null for an unknown preset.
    /// </summary>
    public async Task<PresetDraft?> DraftFromPresetAsync(string presetKey, TimeZoneInfo? timeZone = null, CancellationToken cancellationToken = default)
    {
        if (Presets.Get(presetKey) is not { } preset)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var names = await db.MappingProfiles.Select(p => p.Name).ToListAsync(cancellationToken);
        var name = preset.Name;
        for (var n = 2; names.Contains(name, StringComparer.OrdinalIgnoreCase); n++)
        {
            name = $"{preset.Name} ({n})";
        }

        return new PresetDraft(preset, name, InZone(preset.Definition.Clone(), timeZone));
    }

    // Presets say UTC because they must say something; a person exporting reads dates in their own zone. Only new
    // profiles take it: a stored profile keeps the zone it was saved with.
    private static MappingDefinition InZone(MappingDefinition definition, TimeZoneInfo? zone)
    {
        if (zone is not null)
        {
            definition.Settings.TimeZone = zone.Id;
        }

        return definition;
    }

    /// <summary>Creates (id null) or updates a profile after checking its name and that it compiles.</summary>
    public async Task<ProfileSaveResult> SaveAsync(
        int? id, string name, MappingDefinition definition, ClaimsPrincipal actor, string? presetKey = null, CancellationToken cancellationToken = default)
    {
        name = name.Trim();
        var errors = new List<string>();
        if (name.Length == 0)
        {
            errors.Add("Give the profile a name.");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add($"A profile name can be at most {MaxNameLength} characters.");
        }

        errors.AddRange(MappingEngine.Compile(definition).Errors);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (name.Length > 0 && await db.MappingProfiles.AnyAsync(p => p.Name == name && p.Id != id, cancellationToken))
        {
            errors.Add($"A profile named \"{name}\" already exists.");
        }

        if (errors.Count > 0)
        {
            return new ProfileSaveResult(null, errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        MappingProfile? profile;
        if (id is { } existing)
        {
            profile = await db.MappingProfiles.SingleOrDefaultAsync(p => p.Id == existing, cancellationToken);
            if (profile is null)
            {
                return new ProfileSaveResult(null, ["This profile no longer exists."]);
            }
        }
        else
        {
            profile = new MappingProfile { CreatedAt = now, PresetKey = presetKey };
            db.MappingProfiles.Add(profile);
        }

        profile.Name = name;
        profile.DefinitionJson = Serialize(definition);
        profile.UpdatedAt = now;
        profile.UpdatedBy = actor.Identity?.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, id is null ? AuditActions.ProfileCreated : AuditActions.ProfileUpdated, name, null, cancellationToken);
        return new ProfileSaveResult(profile.Id, []);
    }

    /// <summary>The forwarding destinations that send this profile's columns: it cannot be deleted while there are any.</summary>
    public async Task<IReadOnlyList<string>> ForwardedByAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ForwardingDestinations.Where(d => d.MappingProfileId == id).OrderBy(d => d.Name).Select(d => d.Name).ToListAsync(cancellationToken);
    }

    /// <summary>False when the profile is gone already or a forwarding destination uses it (see <see cref="ForwardedByAsync"/>).</summary>
    public async Task<bool> DeleteAsync(int id, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profile = await db.MappingProfiles.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (profile is null || await db.ForwardingDestinations.AnyAsync(d => d.MappingProfileId == id, cancellationToken))
        {
            return false;
        }

        db.MappingProfiles.Remove(profile);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.ProfileDeleted, profile.Name, null, cancellationToken);
        return true;
    }
}

/// <summary>A new mapping from <paramref name="Preset"/>, not saved yet.</summary>
public sealed record PresetDraft(Preset Preset, string Name, MappingDefinition Definition);
