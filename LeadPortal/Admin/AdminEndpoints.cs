using LeadPortal.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadPortal.Admin;

/// <summary>
/// The reprocessing run over HTTP, for admins scripting an upgrade (the Reprocess page does the same): its progress,
/// read from the store wherever it runs, and a start that answers 409 with the instance when one is going.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/jobs")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin))
            .WithTags("Admin")
            .ExcludeFromDescription();
        group.MapGet("/reprocess", async (ReprocessJob job, CancellationToken cancellationToken) => TypedResults.Ok(await job.GetProgressAsync(cancellationToken)));
        group.MapPost("/reprocess", StartReprocessAsync);
        return app;
    }

    public static async Task<Results<Accepted<ReprocessProgress>, ProblemHttpResult>> StartReprocessAsync(
        HttpContext context, IAntiforgery antiforgery, ReprocessJob job)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem(title: "The form has expired", detail: "Nothing was started. Reload the page and try again.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        if (await job.StartAsync(context.User, context.RequestAborted) is { } refused)
        {
            return TypedResults.Problem(title: "Already running", detail: refused, statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.Accepted("/api/admin/jobs/reprocess", await job.GetProgressAsync(context.RequestAborted));
    }
}
