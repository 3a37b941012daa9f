using LeadPortal.Accounts;
using LeadPortal.Admin;
using LeadPortal.Assignment;
using LeadPortal.Audit;
using LeadPortal.Campaigns;
using LeadPortal.Background;
using LeadPortal.Components;
using LeadPortal.Data;
using LeadPortal.Export;
using LeadPortal.Forwarding;
using LeadPortal.Infrastructure;
using LeadPortal.Intake;
using LeadPortal.Leads;
using LeadPortal.Mapping;
using LeadPortal.Notifications;
using LeadPortal.Outbox;
using LeadPortal.Privacy;
using LeadPortal.TableIntake;
using LeadPortal.Import;
using LeadPortal.Responses;
using LeadPortal.Quality;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

if (args is [StoreCopyCommand.Name, .. var copyArgs])
{
    // A one-off command, not the web app: copy the SQLite store into PostgreSQL and exit.
    Environment.ExitCode = await StoreCopyCommand.RunAsync(copyArgs, builder.Configuration, builder.Environment.ContentRootPath, Console.Out, Console.Error);
    return;
}

if (args is [BackupCommand.Backup or BackupCommand.Restore, .. var backupArgs])
{
    // One-off commands: back the SQLite store up while it runs, or restore such a backup.
    Environment.ExitCode = await BackupCommand.RunAsync(args[0], backupArgs, builder.Configuration, builder.Environment.ContentRootPath, Console.Out, Console.Error);
    return;
}

builder.AddData();
builder.AddBackground();
builder.AddAudit();
builder.AddAccounts();
builder.AddIntake();
builder.AddTableIntake();
builder.AddImport();
builder.AddLeads();
builder.AddAdmin();
builder.AddMapping();
builder.AddExport();
builder.AddOutbox();
builder.AddQuality();
builder.AddCampaigns();
builder.AddNotifications();
builder.AddForwarding();
builder.AddAssignment();
builder.AddResponses();
builder.AddPrivacy();
builder.AddWebHosting();
builder.AddMetrics();

// The server pings each circuit every 3 s, so a browser notices a dead connection within its 10 s server timeout
// (wwwroot/boot.js) instead of SignalR's default 30 s; the offline event shows the banner sooner still.
builder.Services.AddRazorComponents().AddInteractiveServerComponents()
    .AddHubOptions(hub => hub.KeepAliveInterval = TimeSpan.FromSeconds(3));
builder.Services.AddMudServices(mud => LeadPortal.Components.Layout.OneSnackbar.Configure(mud.SnackbarConfiguration));

var app = builder.Build();

app.MarkStoreInUse();
await using (await app.AcquireStartupLockAsync())
{
    // Once per store, whichever instance comes first: the others wait here and then find it all done.
    await app.MigrateDatabaseAsync();
    await app.EnsureKeyRingAsync();
    await app.EnsureIntakeKeyAsync();
    await app.EnsureAccountsAsync();
    await app.EnsureForwardingDestinationsAsync();
    await app.EnsureTableSourcesAsync();
    await app.EnsureAssignmentRulesAsync();
    await app.EnsureResponseClocksAsync();
}

app.UseWebHosting();
// Routing after forwarded headers and the error handlers, so that a short-circuited endpoint (intake) still has both.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UsePasswordChangeGate();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthEndpoints();
app.MapMetricsEndpoint();
app.MapOpenApi().AllowAnonymous();
app.MapIntakeEndpoints();
app.MapAccountEndpoints();
app.MapExportEndpoints();
app.MapImportEndpoints();
app.MapAdminEndpoints();
app.MapPrivacyEndpoints();
app.MapNotificationEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
