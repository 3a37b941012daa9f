using System.ComponentModel.DataAnnotations;
using System.Net;
using LeadPortal.Data;
using LeadPortal.Forwarding;
using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LeadPortal.Tests.Forwarding;

/// <summary>The app as it is deployed: <c>Forwarding:AllowPrivateNetworks</c> false (the test factory's default is true).</summary>
public class PublicOnlyForwardingApp : IAsyncLifetime
{
    public PublicOnlyForwardingApp() : this(StoreProvider.Sqlite)
    {
    }

    protected PublicOnlyForwardingApp(StoreProvider provider) =>
        App = new(provider, TempDatabase.NewPath(), ForwardingTestKit.FastRetries(new() { ["Forwarding:AllowPrivateNetworks"] = "false" }));

    public LeadPortalFactory App { get; }

    public Task InitializeAsync()
    {
        if (App.Provider == StoreProvider.Sqlite || PostgresServer.SkipReason is null)
        {
            App.CreateClient().Dispose();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class PostgresPublicOnlyForwardingApp() : PublicOnlyForwardingApp(StoreProvider.Postgres);

/// <summary>
/// Forwarding must not be a way to reach what only the server can (SSRF): no destination on this machine, a private
/// network or the cloud metadata service, however the address is written. On SQLite; <see cref="ForwardingAddressPostgresTests"/>
/// runs the same on PostgreSQL. No test here connects anywhere but loopback.
/// </summary>
public class ForwardingAddressTests(PublicOnlyForwardingApp fixture) : IClassFixture<PublicOnlyForwardingApp>
{
    private LeadPortalFactory App => fixture.App;

    [StoreTheory]
    [InlineData("http://127.0.0.1:8080/hook", "127.0.0.1 is a loopback address")]
    [InlineData("http://127.42.0.1/hook", "loopback address")]
    [InlineData("http://[::1]:8080/hook", "[::1] is a loopback address")]
    [InlineData("http://localhost:5000/hook", "localhost is this machine")]
    [InlineData("http://api.localhost/hook", "this machine")]
    // Numeric forms of 127.0.0.1: the client connects to the address they mean, and the message names it.
    [InlineData("http://2130706433/hook", "127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f.1/hook", "127.0.0.1 is a loopback address")]
    [InlineData("http://0177.0.0.1/hook", "127.0.0.1 is a loopback address")]
    [InlineData("http://0x7f000001/hook", "127.0.0.1 is a loopback address")]
    [InlineData("http://0.0.0.0:8080/hook", "unspecified address")]
    [InlineData("http://0/hook", "unspecified address")]
    [InlineData("http://[::]/hook", "unspecified address")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "cloud metadata")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/", "cloud metadata service address (in its IPv4-mapped IPv6 form)")]
    [InlineData("http://[::ffff:127.0.0.1]/hook", "loopback address (this machine) (in its IPv4-mapped IPv6 form)")]
    [InlineData("http://169.254.10.20/hook", "link-local")]
    [InlineData("http://[fe80::1]/hook", "link-local")]
    [InlineData("http://10.1.2.3/hook", "private network address (RFC 1918")]
    [InlineData("http://172.16.0.1/hook", "private network address (RFC 1918")]
    [InlineData("http://172.31.255.254/hook", "private network address (RFC 1918")]
    [InlineData("http://192.168.1.10/hook", "private network address (RFC 1918")]
    [InlineData("http://[fd12:3456:789a::1]/hook", "unique local (private) address (RFC 4193")]
    [InlineData("http://100.64.0.1/hook", "carrier-grade NAT")]
    [InlineData("http://224.0.0.251/hook", "multicast")]
    [InlineData("http://[ff02::1]/hook", "multicast")]
    [InlineData("http://255.255.255.255/hook", "broadcast")]
    public async Task A_destination_on_this_machine_or_a_private_network_is_refused_when_saved_with_the_reason(string url, string reason)
    {
        var before = await App.QueryAsync(db => db.ForwardingDestinations.CountAsync());

        var saved = await App.Store().SaveAsync(null, new DestinationInput { Name = "Inside " + Guid.NewGuid().ToString("N")[..6], Url = url }, App.Admin());

        Assert.False(saved.Succeeded);
        var error = Assert.Single(saved.Errors);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains("Forwarding:AllowPrivateNetworks is true", error, StringComparison.Ordinal);
        Assert.Equal(before, await App.QueryAsync(db => db.ForwardingDestinations.CountAsync()));
    }

    [StoreTheory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("2130706433")]
    [InlineData("0x7f.1")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task A_destination_saved_while_allowed_is_refused_when_connecting_and_nothing_reaches_the_receiver(string host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.Url).Port;
        // Stored as it was before this check existed, or while Forwarding:AllowPrivateNetworks was true.
        var destination = new ForwardingDestination
        {
            Name = $"Saved earlier {Guid.NewGuid():N}"[..24],
            Url = $"http://{host}:{port}/hook",
            SecretProtected = App.Services.GetRequiredService<DestinationSecrets>().Protect(WebhookSigner.GenerateSecret()),
            Offers = ForwardingTestKit.NewOffer(),
            TimeoutSeconds = 5,
            CreatedAt = DateTime.UtcNow,
        };
        await App.QueryAsync(async db =>
        {
            db.ForwardingDestinations.Add(destination);
            return await db.SaveChangesAsync();
        });

        var outcome = await App.Store().SendTestAsync(destination.Id, App.Admin());

        Assert.False(outcome.Delivered);
        Assert.Null(outcome.StatusCode);
        Assert.StartsWith("Not sent: ", outcome.Error, StringComparison.Ordinal);
        Assert.Contains(host == "localhost" ? "localhost is this machine" : "loopback address", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("Forwarding:AllowPrivateNetworks is true", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
        var attempt = Assert.Single(await App.Store().AttemptsAsync(outcome.DeliveryId));
        Assert.Equal(outcome.Error, attempt.Error);
        Assert.Null(attempt.ResponseStart);
    }
}

[PostgresStore]
public sealed class ForwardingAddressPostgresTests(PostgresPublicOnlyForwardingApp fixture) : ForwardingAddressTests(fixture), IClassFixture<PostgresPublicOnlyForwardingApp>;

/// <summary>Which addresses count as public, at the edges of each range; no store, no connection.</summary>
public sealed class DestinationAddressRulesTests
{
    [Fact]
    public void A_destination_in_configuration_on_a_private_address_stops_the_app_from_starting_unless_allowed()
    {
        ForwardingOptions Options(bool allow) => new()
        {
            AllowPrivateNetworks = allow,
            Destinations = [new ConfiguredDestination { Name = "Metadata", Url = "http://169.254.169.254/latest/meta-data/", Secret = WebhookSigner.GenerateSecret() }],
        };

        var refused = Options(false).Validate(new ValidationContext(Options(false))).Select(r => r.ErrorMessage).ToList();
        var allowed = Options(true).Validate(new ValidationContext(Options(true))).Select(r => r.ErrorMessage).ToList();

        Assert.Contains(refused, e => e!.StartsWith("Forwarding:Destinations:0 (Metadata): ", StringComparison.Ordinal) && e.Contains("cloud metadata", StringComparison.Ordinal));
        Assert.Empty(allowed);
    }

    [Theory]
    [InlineData("203.0.113.10")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2606:4700::6810:84e5")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("::ffff:8.8.8.8")]
    public void A_public_address_is_allowed(string address)
    {
        Assert.Null(DestinationAddresses.Refusal(IPAddress.Parse(address)));
        Assert.Empty(DestinationRules.UrlProblems($"https://{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}/hook", allowPrivateNetworks: false));
    }

    [Theory]
    [InlineData("64:ff9b::7f00:1", "through NAT64")]
    [InlineData("2002:a00:1::1", "through 6to4")]
    [InlineData("::127.0.0.1", "IPv4-compatible")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("192.0.0.170", "IETF protocol")]
    public void Ipv6_forms_that_carry_a_private_ipv4_address_and_other_non_public_ranges_are_refused(string address, string reason) =>
        Assert.Contains(reason, DestinationAddresses.Refusal(IPAddress.Parse(address)), StringComparison.Ordinal);
}
