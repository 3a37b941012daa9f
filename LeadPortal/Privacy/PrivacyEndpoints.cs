using LeadPortal.Accounts;
using Microsoft.AspNetCore.Antiforgery;

namespace LeadPortal.Privacy;

/// <summary>A person's data as a JSON download: posted from the Personal data page (the address in the body, not in a URL that logs keep).</summary>
public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/personal-data/export", ExportAsync)
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin))
            .DisableAntiforgery() // checked below, to answer with a readable problem
            .ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> ExportAsync(HttpContext context, IAntiforgery antiforgery, PersonalData people, TimeProvider time)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(title: "The form has expired", detail: "Nothing was exported. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (PersonalData.Normalize(form["address"]) is not { } address)
        {
            return TypedResults.Problem(title: "No address", detail: "Enter a whole e-mail address.", statusCode: StatusCodes.Status400BadRequest);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"personal-data-{time.GetUtcNow().UtcDateTime:yyyyMMdd-HHmmss}.json\"";
        context.Response.Headers.CacheControl = "no-store";
        await people.WriteExportAsync(context.User, address, context.Response.Body, context.RequestAborted);
        return TypedResults.Empty;
    }
}
