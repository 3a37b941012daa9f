using LeadPortal.Data;
using LeadPortal.Notifications;
using LeadPortal.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Assignment;

/// <summary>
/// Routes every arrived lead through the assignment rules, in the dispatcher's transaction: so a lead is routed exactly
/// once across instances (the dispatcher holds a lease), long after its 2xx, and each rule's round-robin cursor is
/// committed with the assignments it made. The new owner's mail comes from the same <see cref="OutboxEventKind.LeadAssigned"/>
/// event a manual assignment raises, dispatched in the next batch. A rule that cannot work leaves the lead unassigned
/// and warns the admins once; it never stops the batch, whose mail and forwarding go on.
/// </summary>
public sealed class AssignmentHandler(AdminAlerts alerts, OutboxSignals signals, ILogger<AssignmentHandler> logger) : ILeadEventHandler
{
    public async Task HandleAsync(LeadPortalDbContext db, IReadOnlyList<LeadEventItem> items, DateTime now, CancellationToken cancellationToken)
    {
        // Partner Center's validation lead is for the admins, not a sales queue; a lead assigned already keeps its owner.
        var arrived = items.Where(i => i.Event.Kind is OutboxEventKind.LeadArrived or OutboxEventKind.RouteRequested && !i.Lead.IsTest && i.Lead.OwnerId is null)
            .Select(i => i.Lead.Id).Distinct().ToList();
        if (arrived.Count == 0)
        {
            return;
        }

        var rules = await AssignmentRules.LoadOrderedAsync(db, tracked: true, cancellationToken);
        if (rules.Count == 0)
        {
            return;
        }

        var leads = await db.Leads.Where(l => arrived.Contains(l.Id) && l.OwnerId == null).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var engine = await AssignmentRules.EngineAsync(db, rules, cancellationToken);
        var assigned = 0;
        var alerted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lead in leads)
        {
            RoutingDecision decision;
            try
            {
                decision = engine.Route(RoutingLead.From(lead), now);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Routing lead {LeadId} failed; it stays unassigned.", lead.Id);
                continue;
            }

            if (decision is { Outcome: RoutingOutcome.Assigned, User: { } user, Rule: { } rule })
            {
                Assign(db, lead, user, rule.Name, now);
                assigned++;
            }

            if (decision is { Problem: { } problem, Rule: { } broken } && alerted.Add($"{broken.Id}:{problem}"))
            {
                logger.LogWarning("Assignment rule {Rule}: {Problem}. Lead {LeadId} {Outcome}.", broken.Name, problem, lead.Id,
                    decision.Outcome == RoutingOutcome.Assigned ? "went to another of its users" : "stays unassigned");
                await AlertAsync(db, broken, problem, now, cancellationToken);
            }
        }

        foreach (var rule in rules)
        {
            rule.LastPosition = engine.Cursors[rule.Id];
        }

        if (assigned > 0)
        {
            // The owners' mails are in the next batch: no need to wait for the poll.
            signals.Dispatch.Set();
        }
    }

    /// <summary>Gives a lead its owner with the activity and the event a manual assignment writes; used by the apply job too.</summary>
    internal static void Assign(LeadPortalDbContext db, Lead lead, Candidate user, string ruleName, DateTime now)
    {
        lead.OwnerId = user.Id;
        db.LeadActivities.Add(new LeadActivity
        {
            LeadId = lead.Id,
            At = now,
            Kind = LeadActivityKind.AutoAssigned,
            ToValue = user.Label,
            Text = ruleName,
        });
        db.OutboxEvents.Add(new OutboxEvent
        {
            Kind = OutboxEventKind.LeadAssigned,
            LeadId = lead.Id,
            UserId = user.Id,
            CreatedAt = now,
        });
    }

    /// <summary>Once per rule and problem (the key), however many leads meet it.</summary>
    internal Task AlertAsync(LeadPortalDbContext db, RoutingRule rule, string problem, DateTime now, CancellationToken cancellationToken) =>
        alerts.QueueAsync(db, $"assignment:{rule.Id}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(problem)))[..16]}",
            $"assignment rule \"{rule.Name}\" needs attention",
            $"The assignment rule \"{rule.Name}\" has a problem: {problem}. Leads it cannot place stay unassigned until the rule is fixed.",
            AssignmentPage.Path, "Open the assignment rules", now, cancellationToken);
}
