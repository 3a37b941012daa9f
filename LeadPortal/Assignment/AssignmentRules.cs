using System.Security.Claims;
using LeadPortal.Admin;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Intake;
using LeadPortal.Shared;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Assignment;

/// <summary>A rule as the page lists it.</summary>
public sealed record RuleRow(
    int Id, string Name, bool FromConfiguration, AssignmentMode Mode, RuleCriteria Criteria, IReadOnlyList<RuleUserRow> Users);

public sealed record RuleUserRow(string? UserId, string Email, string Label, bool Missing, bool Disabled, DateTime? AwayUntil);

/// <summary>What the rule editor edits.</summary>
public sealed class RuleInput
{
    public string? Name { get; set; }
    public IReadOnlyCollection<string> Actions { get; set; } = [];
    public string? Offers { get; set; }
    public string? Countries { get; set; }
    public IReadOnlyCollection<string> Sources { get; set; } = [];
    public AssignmentMode Mode { get; set; } = AssignmentMode.RoundRobin;

    /// <summary>User ids, in round-robin order.</summary>
    public IReadOnlyList<string> UserIds { get; set; } = [];
}

/// <summary>One of the recent leads and where the rules would send it.</summary>
public sealed record PreviewRow(long LeadId, DateTime ReceivedAt, string Name, string? Action, string? Country, string? Offer, string? Source,
    string? RuleName, string Target);

/// <summary>The rule list: reads for the page and the router, admin commands (each audited), and the sync from configuration.</summary>
public sealed class AssignmentRules(IDbContextFactory<LeadPortalDbContext> dbFactory, AuditLog audit, TimeProvider time, ILogger<AssignmentRules> logger)
{
    public const int PreviewSize = 100;
    public const int MaxUsers = 50;

    /// <summary>Rules in the order they are tried: configured ones first, as declared, then the app's.</summary>
    public static Task<List<AssignmentRule>> LoadOrderedAsync(LeadPortalDbContext db, bool tracked, CancellationToken cancellationToken)
    {
        var query = db.AssignmentRules.Include(r => r.Users).OrderByDescending(r => r.FromConfiguration).ThenBy(r => r.Position).ThenBy(r => r.Id);
        return (tracked ? query : query.AsNoTracking()).ToListAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<Candidate>> CandidatesAsync(LeadPortalDbContext db, CancellationToken cancellationToken) =>
        (await db.Users.AsNoTracking().ToListAsync(cancellationToken)).Select(Candidate.From).ToList();

    public static async Task<AssignmentEngine> EngineAsync(LeadPortalDbContext db, IReadOnlyList<AssignmentRule> rules, CancellationToken cancellationToken) =>
        new(rules.Select(RoutingRule.From).ToList(), await CandidatesAsync(db, cancellationToken));

    /// <param name="formatTime">How the page shows a moment (the viewer's time zone); UTC when not given.</param>
    public async Task<(IReadOnlyList<RuleRow> Rules, IReadOnlyList<RuleWarning> Warnings)> ListAsync(
        Func<DateTime, string>? formatTime = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await LoadOrderedAsync(db, tracked: false, cancellationToken);
        var users = await CandidatesAsync(db, cancellationToken);
        var byId = users.ToDictionary(u => u.Id);
        var byEmail = users.Where(u => u.Email is not null).GroupBy(u => u.Email!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var rows = rules.Select(r => new RuleRow(r.Id, r.Name, r.FromConfiguration, r.Mode, RuleCriteria.Parse(r.Actions, r.Offers, r.Countries, r.Sources),
            r.Users.OrderBy(u => u.Position).Select(u =>
            {
                var user = u.UserId is { } id ? byId.GetValueOrDefault(id) : byEmail.GetValueOrDefault(u.Email);
                return new RuleUserRow(user?.Id, u.Email, user?.Label ?? u.Email, user is null, user?.IsDisabled == true, user?.AwayUntil);
            }).ToList())).ToList();
        var warnings = RuleChecks.Check(rules.Select(RoutingRule.From).ToList(), users, time.GetUtcNow().UtcDateTime, formatTime);
        return (rows, warnings);
    }

    /// <summary>The users a rule can name: active ones first, by label.</summary>
    public async Task<IReadOnlyList<Candidate>> UsersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await CandidatesAsync(db, cancellationToken)).OrderBy(u => u.IsDisabled).ThenBy(u => u.Label, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<RuleInput?> GetInputAsync(int id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.AssignmentRules.AsNoTracking().Include(r => r.Users).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return null;
        }

        var criteria = RuleCriteria.Parse(rule.Actions, rule.Offers, rule.Countries, rule.Sources);
        return new RuleInput
        {
            Name = rule.Name,
            Actions = criteria.Actions.ToList(),
            Offers = string.Join(", ", criteria.Offers),
            Countries = string.Join(", ", criteria.Countries),
            Sources = criteria.Sources.ToList(),
            Mode = rule.Mode,
            UserIds = rule.Users.OrderBy(u => u.Position).Where(u => u.UserId is not null).Select(u => u.UserId!).ToList(),
        };
    }

    /// <summary>Adds (id null) or changes a rule made in the app; the errors say what to fix, none when saved.</summary>
    public async Task<(int? Id, IReadOnlyList<string> Errors)> SaveAsync(int? id, RuleInput input, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        var errors = Problems(input).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = input.Name?.Trim() ?? "";
        AssignmentRule? rule = null;
        if (id is { } existing)
        {
            rule = await db.AssignmentRules.Include(r => r.Users).SingleOrDefaultAsync(r => r.Id == existing, cancellationToken);
            if (rule is null)
            {
                return (null, ["That rule no longer exists."]);
            }

            if (rule.FromConfiguration)
            {
                return (null, ["This rule is declared in configuration (Assignment:Rules): change it there."]);
            }
        }

        if (name.Length > 0 && await db.AssignmentRules.AnyAsync(r => r.Name == name && r.Id != (id ?? 0), cancellationToken))
        {
            errors.Add($"There is already a rule named \"{name}\".");
        }

        var userIds = input.UserIds.Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        if (users.Count != userIds.Count)
        {
            errors.Add("A chosen user no longer exists.");
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (rule is null)
        {
            var last = await db.AssignmentRules.Where(r => !r.FromConfiguration).MaxAsync(r => (int?)r.Position, cancellationToken) ?? -1;
            rule = new AssignmentRule { CreatedAt = now, Position = last + 1 };
            db.AssignmentRules.Add(rule);
        }

        rule.Name = name;
        rule.Actions = RuleCriteria.Join(input.Actions.Select(a => LeadActions.Canonical(a)!));
        var criteria = RuleCriteria.Parse(null, input.Offers, input.Countries, null);
        rule.Offers = RuleCriteria.Join(criteria.Offers);
        rule.Countries = RuleCriteria.Join(criteria.Countries);
        rule.Sources = RuleCriteria.Join(input.Sources.Select(s => RuleCriteria.CanonicalSource(s)!));
        rule.Mode = input.Mode;
        rule.UpdatedAt = now;
        var members = input.Mode == AssignmentMode.LeaveUnassigned ? [] : input.Mode == AssignmentMode.Single ? userIds.Take(1).ToList() : userIds;
        SetUsers(db, rule, members.Select(u => ((string?)u, users[u].Email ?? users[u].UserName ?? u)).ToList());
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, id is null ? AuditActions.AssignmentRuleCreated : AuditActions.AssignmentRuleUpdated, name, Describe(rule), cancellationToken);
        return (rule.Id, []);
    }

    public async Task<string?> DeleteAsync(int id, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rule = await db.AssignmentRules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return null;
        }

        if (rule.FromConfiguration)
        {
            return "This rule is declared in configuration (Assignment:Rules): remove it there.";
        }

        db.AssignmentRules.Remove(rule);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.AssignmentRuleDeleted, rule.Name, cancellationToken: cancellationToken);
        return null;
    }

    /// <summary>Moves a rule made in the app one place up (−1) or down (+1) among the app's rules.</summary>
    public async Task<string?> MoveAsync(int id, int by, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.AssignmentRules.Where(r => !r.FromConfiguration).OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        var index = rules.FindIndex(r => r.Id == id);
        if (index < 0)
        {
            return "Rules declared in configuration keep the order they are declared in, before the app's rules.";
        }

        var target = index + Math.Sign(by);
        if (target < 0 || target >= rules.Count)
        {
            return null;
        }

        (rules[index], rules[target]) = (rules[target], rules[index]);
        for (var i = 0; i < rules.Count; i++)
        {
            rules[i].Position = i;
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(actor, AuditActions.AssignmentRulesReordered, rules[target].Name, string.Join(" → ", rules.Select(r => r.Name)), cancellationToken);
        return null;
    }

    /// <summary>
    /// How the last <see cref="PreviewSize"/> leads (test leads aside) would have been routed by these rules now, oldest
    /// first, round robin going on from each rule's cursor, as if they arrived again. Nothing is stored.
    /// </summary>
    public async Task<IReadOnlyList<PreviewRow>> PreviewAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await LoadOrderedAsync(db, tracked: false, cancellationToken);
        var engine = await EngineAsync(db, rules, cancellationToken);
        var leads = await db.Leads.AsNoTracking().Where(l => !l.IsTest).OrderByDescending(l => l.ReceivedAt).ThenByDescending(l => l.Id).Take(PreviewSize)
            .Select(l => new { l.Id, l.ReceivedAt, l.FirstName, l.LastName, l.Company, l.ActionCode, l.Country, l.OfferId, l.Source })
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return leads.AsEnumerable().Reverse().Select(l =>
        {
            var decision = engine.Route(new RoutingLead(l.Id, l.ActionCode, l.OfferId, l.Country, l.Source), now);
            var name = ((l.FirstName ?? "") + " " + (l.LastName ?? "")).Trim();
            return new PreviewRow(l.Id, l.ReceivedAt, name.Length == 0 ? (l.Company ?? $"Lead {l.Id}") : name, l.ActionCode, l.Country, l.OfferId, l.Source,
                decision.Rule?.Name, TargetText(decision));
        }).Reverse().ToList();
    }

    public static string TargetText(RoutingDecision decision) => decision.Outcome switch
    {
        RoutingOutcome.Assigned => decision.User!.Label,
        RoutingOutcome.NoRule => "Unassigned (no rule matches)",
        RoutingOutcome.LeftUnassigned => "Unassigned (the rule says so)",
        RoutingOutcome.NobodyAvailable => decision.User is { } away ? $"Unassigned ({away.Label} is away)" : "Unassigned (everyone is away)",
        _ => $"Unassigned ({decision.Problem})",
    };

    public async Task<int> UnassignedCountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Leads.CountAsync(l => l.OwnerId == null && !l.IsTest, cancellationToken);
    }

    /// <summary>
    /// Brings the configured rules in step with <c>Assignment:Rules</c>, by name: declared ones are added or updated (their
    /// round-robin cursor kept) in the order declared, and ones no longer declared are deleted.
    /// </summary>
    public async Task SyncConfigurationAsync(AssignmentOptions options, CancellationToken cancellationToken = default)
    {
        try
        {
            await SyncOnceAsync(options, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same moment added the same name first: sync against its rows.
            await SyncOnceAsync(options, cancellationToken);
        }
    }

    private async Task SyncOnceAsync(AssignmentOptions options, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.AssignmentRules.Include(r => r.Users).ToListAsync(cancellationToken);
        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow().UtcDateTime;
        var position = 0;
        foreach (var configured in options.Rules.Where(r => !string.IsNullOrWhiteSpace(r?.Name)))
        {
            var name = configured.Name!.Trim();
            declared.Add(name);
            var row = stored.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
            if (row is null)
            {
                row = new AssignmentRule { CreatedAt = now };
                db.AssignmentRules.Add(row);
            }
            else if (!row.FromConfiguration)
            {
                logger.LogWarning("Assignment rule {Name} is now declared in configuration, which replaces the one made in the app.", name);
            }

            var criteria = RuleCriteria.Parse(configured.Actions, configured.Offers, configured.Countries, configured.Sources);
            var changed = row.FromConfiguration != true || row.Position != position || row.Mode != configured.Mode
                || row.Actions != RuleCriteria.Join(criteria.Actions) || row.Offers != RuleCriteria.Join(criteria.Offers)
                || row.Countries != RuleCriteria.Join(criteria.Countries) || row.Sources != RuleCriteria.Join(criteria.Sources)
                || !row.Users.OrderBy(u => u.Position).Select(u => u.Email).SequenceEqual(configured.UserEmails(), StringComparer.OrdinalIgnoreCase);
            row.Name = name;
            row.FromConfiguration = true;
            row.Position = position++;
            row.Mode = configured.Mode;
            row.Actions = RuleCriteria.Join(criteria.Actions);
            row.Offers = RuleCriteria.Join(criteria.Offers);
            row.Countries = RuleCriteria.Join(criteria.Countries);
            row.Sources = RuleCriteria.Join(criteria.Sources);
            if (changed)
            {
                row.UpdatedAt = now;
                // By address only: a user added after this start is found when a lead is routed.
                SetUsers(db, row, configured.Mode == AssignmentMode.LeaveUnassigned ? [] : configured.UserEmails().Select(e => ((string?)null, e)).ToList());
            }
        }

        foreach (var gone in stored.Where(r => r.FromConfiguration && !declared.Contains(r.Name)))
        {
            logger.LogInformation("Assignment rule {Name} is no longer declared in configuration; it is removed.", gone.Name);
            db.AssignmentRules.Remove(gone);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static void SetUsers(LeadPortalDbContext db, AssignmentRule rule, IReadOnlyList<(string? UserId, string Email)> users)
    {
        var same = rule.Users.OrderBy(u => u.Position).Select(u => (u.UserId, u.Email)).SequenceEqual(users);
        if (same)
        {
            return;
        }

        db.AssignmentRuleUsers.RemoveRange(rule.Users);
        rule.Users = users.Select((u, i) => new AssignmentRuleUser { Position = i, UserId = u.UserId, Email = u.Email }).ToList();
        // A new list is a new turn order: start it from the top.
        rule.LastPosition = -1;
    }

    public static IEnumerable<string> Problems(RuleInput input)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            yield return "Give the rule a name.";
        }
        else if (name.Length > 100)
        {
            yield return "A rule's name can be at most 100 characters.";
        }

        foreach (var problem in CriteriaProblems(string.Join(",", input.Actions), input.Offers, input.Countries, string.Join(",", input.Sources)))
        {
            yield return problem;
        }

        if (!Enum.IsDefined(input.Mode))
        {
            yield return "Choose who gets the leads.";
        }
        else if (input.Mode == AssignmentMode.Single && input.UserIds.Count != 1)
        {
            yield return "Choose the one user who gets these leads.";
        }
        else if (input.Mode == AssignmentMode.RoundRobin && input.UserIds.Count == 0)
        {
            yield return "Choose the users who take these leads in turn.";
        }
        else if (input.UserIds.Count > MaxUsers)
        {
            yield return $"A rule can name at most {MaxUsers} users.";
        }
    }

    public static IEnumerable<string> CriteriaProblems(string? actions, string? offers, string? countries, string? sources)
    {
        var unknownActions = RuleCriteria.Split(actions).Where(a => LeadActions.Known.All(k => !k.Code.Equals(a, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknownActions.Count > 0)
        {
            yield return $"Unknown action {string.Join(", ", unknownActions)}: use PLT (Contact me), INS (Get it now / free trial), StartTestDrive, Create (Azure portal) or DNC.";
        }

        var unknownCountries = RuleCriteria.Split(countries).Where(c => !Shared.Countries.TryFind(c, out _)).ToList();
        if (unknownCountries.Count > 0)
        {
            yield return $"Unknown country {string.Join(", ", unknownCountries)}: use ISO codes such as SE, NO, DE.";
        }

        var badOffers = RuleCriteria.Split(offers).Where(o => o.Length > 200 || o.Any(char.IsWhiteSpace)).ToList();
        if (badOffers.Count > 0)
        {
            yield return $"Offer ids look like publisher.offer, without spaces: {string.Join(", ", badOffers)}.";
        }

        var unknownSources = RuleCriteria.Split(sources)
            .Where(s => RuleCriteria.KnownSources.All(k => k.Code != RuleCriteria.CanonicalSource(s))).ToList();
        if (unknownSources.Count > 0)
        {
            yield return $"Unknown source {string.Join(", ", unknownSources)}: use AppSource, AzureMarketplace or AzurePortal.";
        }
    }

    private static string Describe(AssignmentRule rule) =>
        $"{rule.Mode}; actions {rule.Actions ?? "any"}; offers {rule.Offers ?? "any"}; countries {rule.Countries ?? "any"}; sources {rule.Sources ?? "any"}; users {string.Join(", ", rule.Users.Select(u => u.Email))}"
            .Replace('\n', ',');
}
