using LeadPortal.Accounts;
using LeadPortal.Leads;
using LeadPortal.Mapping;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LeadPortal.Export;

/// <summary>
/// CSV files leave through these authorized endpoints, streamed; never as bytes over the Blazor circuit.
/// An export records a run and marks its leads exported, so it is a POST from the export dialog's form with its
/// antiforgery token: the sign-in cookie is SameSite=Lax, which still rides along when another site navigates a
/// signed-in user to a GET. Downloading a recorded run again changes nothing, so that stays a GET (a link).
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/exports")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Sales))
            .WithTags("Export")
            .ExcludeFromDescription();

        group.MapPost("/csv", ExportCsvAsync).WithName("ExportCsv");
        group.MapGet("/csv", RefuseExportLink).WithName("ExportCsvLink");
        group.MapGet("/{runId:long}/csv", ExportAgainAsync).WithName("ExportAgain");
        return app;
    }

    /// <summary>The export form's action for an inbox view: the profile, the filter and the time zone in its query.</summary>
    public static string Url(int profileId, bool onlyNew, LeadFilter filter, string timeZone)
    {
        var parts = new List<string> { $"profile={profileId}", $"onlyNew={(onlyNew ? "true" : "false")}", $"tz={Uri.EscapeDataString(timeZone)}" };
        var filterQuery = InboxView.FilterQuery(filter);
        if (filterQuery.Length > 0)
        {
            parts.Add(filterQuery[1..]);
        }

        return "/api/exports/csv?" + string.Join("&", parts);
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ExportCsvAsync(
        HttpContext context, string? profile, string? onlyNew, string? tz, IAntiforgery antiforgery, MappingProfileStore profiles, ExportService exports,
        TimeProvider time)
    {
        // Read by hand, not bound as int and bool: a binding failure is a bare 400, and this one names what is wrong.
        var errors = new List<string>();
        if (!int.TryParse(profile, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var profileId))
        {
            errors.Add(profile is null ? "profile is missing: the id of the mapping profile to export with." : $"profile is \"{profile}\", which is not the id of a mapping profile.");
        }

        bool? exportOnlyNew = null;
        if (!string.IsNullOrEmpty(onlyNew))
        {
            exportOnlyNew = bool.TryParse(onlyNew, out var parsed) ? parsed : null;
            if (exportOnlyNew is null)
            {
                errors.Add($"onlyNew is \"{onlyNew}\"; it is true or false.");
            }
        }

        TimeZoneInfo? zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrEmpty(tz) && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out zone))
        {
            errors.Add($"tz is \"{tz}\", which is not a time zone this server knows (an IANA name such as Europe/Stockholm).");
        }

        errors.AddRange(InboxView.FilterErrors(context.Request.Query));
        if (errors.Count > 0)
        {
            return TypedResults.Problem(title: "Invalid export parameters", detail: "Nothing was exported or marked. " + string.Join(" ", errors),
                statusCode: StatusCodes.Status400BadRequest);
        }

        // Checked here rather than by the antiforgery middleware, whose refusal is a bare 400 from form binding.
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(
                title: "The export form has expired",
                // A browser shows this in the tab the form was posted from, so the way back is part of the answer.
                detail: "Nothing was exported or marked. Go back to the inbox, reload it and export again.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var stored = await profiles.GetAsync(profileId, context.RequestAborted);
        if (stored is null)
        {
            return TypedResults.Problem(title: "Profile not found", detail: $"There is no mapping profile {profileId}.", statusCode: StatusCodes.Status404NotFound);
        }

        var compiled = MappingEngine.Compile(stored.Definition);
        if (!compiled.Succeeded)
        {
            return TypedResults.Problem(title: "Profile cannot be used", detail: string.Join(" ", compiled.Errors), statusCode: StatusCodes.Status400BadRequest);
        }

        var filter = InboxView.Parse(context.Request.Query).Filter.For(context.User.UserId());
        var request = new ExportRequest(stored.Id, filter, zone!, exportOnlyNew ?? false);

        await using var file = new ExportFile(context, ExportService.FileName(stored.Name, time.GetUtcNow().UtcDateTime), compiled.Mapping);
        try
        {
            await exports.ExportAsync(request, stored, compiled.Mapping, context.Request.QueryString.Value ?? "", file, context.User, context.RequestAborted);
        }
        catch (ExportOverLimitException over)
        {
            // Raised before anything was sent: the first part is still held back.
            return TypedResults.Problem(title: "Export over the file limit", detail: over.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The browser hung up: nobody to answer, and nothing was marked (the audit log says so).
            return TypedResults.Empty;
        }

        return TypedResults.Empty;
    }

    /// <summary>The old export link (a GET): answered, recording nothing, so a bookmark or a link on another site explains itself.</summary>
    public static ProblemHttpResult RefuseExportLink(HttpContext context)
    {
        context.Response.Headers.Allow = HttpMethods.Post;
        return TypedResults.Problem(
            title: "Exports are made from the inbox",
            detail: "An export marks its leads as exported, so it is only made by the inbox's Export dialog, never by a link. "
                + "A past export downloads again from the export history.",
            statusCode: StatusCodes.Status405MethodNotAllowed);
    }

    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ExportAgainAsync(HttpContext context, long runId, ExportService exports)
    {
        var run = await exports.GetRunAsync(runId, context.RequestAborted);
        if (run is null)
        {
            return TypedResults.Problem(title: "Export not found", detail: $"There is no export {runId}.", statusCode: StatusCodes.Status404NotFound);
        }

        var compiled = MappingEngine.Compile(MappingProfileStore.Deserialize(run.DefinitionJson));
        if (!compiled.Succeeded)
        {
            return TypedResults.Problem(title: "Export cannot be repeated", detail: string.Join(" ", compiled.Errors), statusCode: StatusCodes.Status400BadRequest);
        }

        await using var file = new ExportFile(context, ExportService.FileName(run.ProfileName, run.At), compiled.Mapping);
        try
        {
            await exports.ExportAgainAsync(run, compiled.Mapping, file, context.User, context.RequestAborted);
        }
        catch (ExportOverLimitException over)
        {
            return TypedResults.Problem(title: "Export over the file limit", detail: over.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Empty;
        }

        return TypedResults.Empty;
    }
}
