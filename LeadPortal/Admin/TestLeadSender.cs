using System.Net.Http.Json;
using System.Security.Claims;
using LeadPortal.Audit;
using LeadPortal.Data;
using LeadPortal.Intake;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Admin;

public sealed record TestLeadOutcome(bool Succeeded, int? StatusCode, string? LeadId, string Message);

/// <summary>
/// "Send test lead": posts a Partner Center style validation lead through the real endpoint over HTTP, with a key
/// made for that one request (only hashes are stored, so no existing key's secret is known) and revoked right after.
/// </summary>
public sealed class TestLeadSender(
    IDbContextFactory<LeadPortalDbContext> dbFactory,
    IntakeKeyStore keys,
    IServer server,
    IHttpClientFactory httpClients,
    AuditLog audit,
    TimeProvider time)
{
    public const string InternalKeyName = "Send test lead (internal)";

    public async Task<TestLeadOutcome> SendAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        var address = LocalAddress();
        if (address is null)
        {
            return new TestLeadOutcome(false, null, null, "The server's own address is not known, so no request could be sent.");
        }

        var secret = IntakeKeyStore.GenerateSecret();
        var keyId = await ActivateInternalKeyAsync(secret, cancellationToken);
        try
        {
            var marker = $"MSFT_TEST_{time.GetUtcNow().UtcTicks}";
            var body = ValidationLead.Body(marker, "LeadPortal test lead", "Sent from LeadPortal's endpoint page");
            using var client = httpClients.CreateClient(nameof(TestLeadSender));
            using var response = await client.PostAsync(IntakeSetup.IntakeUrl(address, secret), new StringContent(body), cancellationToken);
            var receipt = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<LeadReceipt>(cancellationToken) : null;
            var outcome = response.IsSuccessStatusCode
                ? new TestLeadOutcome(true, (int)response.StatusCode, receipt?.Id, $"The endpoint answered {(int)response.StatusCode} and stored test lead {receipt?.Id}.")
                : new TestLeadOutcome(false, (int)response.StatusCode, null, $"The endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            await audit.RecordAsync(actor, AuditActions.TestLeadSent, receipt?.Id is { } id ? $"Lead {id}" : null, outcome.Message, cancellationToken);
            return outcome;
        }
        catch (HttpRequestException ex)
        {
            return new TestLeadOutcome(false, null, null, $"The request to {address} failed: {ex.Message}");
        }
        finally
        {
            await keys.RevokeAsync(keyId, CancellationToken.None);
        }
    }

    /// <summary>One internal key row, re-armed with a fresh secret for each send.</summary>
    private async Task<int> ActivateInternalKeyAsync(string secret, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.IntakeKeys.SingleOrDefaultAsync(k => k.Name == InternalKeyName, cancellationToken);
        if (key is null)
        {
            key = new IntakeKey { Name = InternalKeyName, CreatedAt = time.GetUtcNow().UtcDateTime };
            db.IntakeKeys.Add(key);
        }

        key.Hash = IntakeKeyStore.Hash(secret);
        key.Prefix = IntakeKeyStore.PrefixOf(secret);
        key.RevokedAt = null;
        await db.SaveChangesAsync(cancellationToken);
        keys.Invalidate();
        return key.Id;
    }

    /// <summary>The address this process listens on, as reachable from itself.</summary>
    private string? LocalAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
        return address?.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1");
    }
}
