using LeadPortal.Components;
using LeadPortal.Data;
using LeadPortal.Infrastructure;
using LeadPortal.Intake;
using LeadPortal.Leads;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

builder.AddData();
builder.AddIntake();
builder.AddLeads();
builder.AddWebHosting();

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();

var app = builder.Build();

await app.MigrateDatabaseAsync();
await app.EnsureIntakeKeyAsync();

app.UseWebHosting();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapHealthEndpoints();
app.MapOpenApi();
app.MapIntakeEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();
