using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using LeadPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Accounts;

/// <summary>The data-protection key ring lives in the database, encrypted when a certificate is configured.</summary>
public sealed class DataProtectionTests
{
    private const string CertificatePassword = "pfx-Passw0rd";

    private static async Task<(HttpStatusCode Status, string CheckStatus, string Description)> KeyHealthAsync(HttpClient client)
    {
        var response = await client.GetAsync("/healthz");
        var check = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("data-protection");
        return (response.StatusCode, check.GetProperty("status").GetString()!, check.GetProperty("description").GetString()!);
    }

    private static string WriteCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=LeadPortal test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.ChangeExtension(TempDatabase.NewPath(), ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, CertificatePassword));
        return path;
    }

    [Fact]
    public async Task The_key_ring_is_kept_in_the_database_and_reported_healthy_by_default()
    {
        await using var app = new LeadPortalFactory();
        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);

        var health = await KeyHealthAsync(client);
        var keys = await app.QueryAsync(db => db.Set<DataProtectionKey>().Select(k => k.Xml).ToListAsync());

        Assert.True(health.Status == HttpStatusCode.OK, health.Description);
        Assert.Equal("Healthy", health.CheckStatus);
        Assert.Contains("1 current data-protection key", health.Description);
        Assert.Contains(keys, xml => xml!.Contains("<key ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_key_ring_never_reaches_a_log_even_with_logging_turned_up()
    {
        // A provider-specific level wins over any rule for a category: only redaction keeps the key out.
        await using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:Captured:LogLevel:Default"] = "Trace",
        });
        var client = app.CreateCookieClient();
        await client.SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword);
        await KeyHealthAsync(client);

        var secrets = (await app.QueryAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync()))
            .Select(xml => System.Text.RegularExpressions.Regex.Match(xml!, "<value>([^<]+)</value>").Groups[1].Value)
            .ToList();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, secret => Assert.True(secret.Length > 20, secret));
        Assert.Contains(app.Logs.Lines, line => line.Contains("<masterKey", StringComparison.Ordinal) && line.Contains(LeadPortal.Intake.KeyRedactingLoggerFactory.Redacted, StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => secrets.Any(secret => line.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task With_a_certificate_the_keys_are_encrypted_in_the_database_and_a_restart_keeps_users_signed_in()
    {
        var database = TempDatabase.NewPath();
        var settings = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = WriteCertificate(),
            ["DataProtection:CertificatePassword"] = CertificatePassword,
        };
        string cookie;
        await using (var first = new LeadPortalFactory(database, settings))
        {
            cookie = (await first.CreateCookieClient().SignInAsync(LeadPortalFactory.AdminEmail, LeadPortalFactory.AdminPassword)).AuthCookie();
        }

        await using var restarted = new LeadPortalFactory(database, settings);
        var dashboard = await restarted.CreateClientWithCookie(cookie).GetAsync("/dashboard");
        var health = await KeyHealthAsync(restarted.CreateClient());
        var keys = await restarted.QueryAsync(db => db.Set<DataProtectionKey>().Select(k => k.Xml!).ToListAsync());

        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Equal("Healthy", health.CheckStatus);
        Assert.Contains("encrypted to the certificate CN=LeadPortal test key ring", health.Description);
        var key = Assert.Single(keys);
        Assert.Contains("EncryptedData", key);
        Assert.DoesNotContain("masterKey", key);
    }

    [Fact]
    public async Task A_configured_certificate_that_does_not_exist_is_unhealthy_and_intake_still_stores_leads()
    {
        var missing = Path.Combine(TestTemp.Root, "no-such-certificate.pfx");
        await using var app = new LeadPortalFactory(TempDatabase.NewPath(), new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = missing });
        var client = app.CreateClient();

        var health = await KeyHealthAsync(client);
        var lead = await client.PostLeadAsync(SampleLeads.Unique());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("Unhealthy", health.CheckStatus);
        Assert.Contains(missing, health.Description);
        Assert.Contains("cannot be loaded", health.Description);
        Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
        Assert.Equal(0, await app.QueryAsync(db => db.Set<DataProtectionKey>().CountAsync()));
    }

    [Fact]
    public async Task A_key_ring_that_cannot_be_read_from_the_database_is_unhealthy()
    {
        await using var app = new LeadPortalFactory();
        var client = app.CreateClient();
        var before = await KeyHealthAsync(client);
        await app.QueryAsync(db =>
        {
            db.Set<DataProtectionKey>().Add(new DataProtectionKey { FriendlyName = "damaged", Xml = "<key id=\"" });
            return db.SaveChangesAsync();
        });

        var after = await KeyHealthAsync(client);

        Assert.Equal("Healthy", before.CheckStatus);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.Status);
        Assert.Equal("Unhealthy", after.CheckStatus);
        Assert.Contains("cannot be read from the database", after.Description);
    }

    [Fact]
    public async Task A_key_that_cannot_be_decrypted_is_unhealthy()
    {
        var database = TempDatabase.NewPath();
        var withCertificate = new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = WriteCertificate(),
            ["DataProtection:CertificatePassword"] = CertificatePassword,
        };
        await using (var first = new LeadPortalFactory(database, withCertificate))
        {
            Assert.Equal("Healthy", (await KeyHealthAsync(first.CreateClient())).CheckStatus);
        }

        // The same database started with another certificate: the stored key was encrypted to one this app does not have.
        withCertificate["DataProtection:CertificatePath"] = WriteCertificate();
        await using var other = new LeadPortalFactory(database, withCertificate);
        var health = await KeyHealthAsync(other.CreateClient());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("Unhealthy", health.CheckStatus);
        Assert.Contains("cannot be used", health.Description);
    }
}
