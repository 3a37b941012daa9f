using System.Globalization;
using CsvHelper;
using LeadPortal.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace LeadPortal.Import;

/// <summary>An import's result report leaves through this authorized endpoint, streamed: never as bytes over the circuit.</summary>
public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/imports")
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.Sales))
            .WithTags("Import")
            .ExcludeFromDescription();
        group.MapGet("/{runId:long}/report.csv", ReportAsync).WithName("ImportReport");
        return app;
    }

    public static string ReportUrl(long runId) => string.Create(CultureInfo.InvariantCulture, $"/api/imports/{runId}/report.csv");

    /// <summary>The counts, then every refused row with its column and reason. Cells that look like formulas are quoted as text.</summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ReportAsync(HttpContext context, long runId, ImportService imports)
    {
        var run = await imports.GetAsync(runId, context.RequestAborted);
        if (run is null)
        {
            return TypedResults.Problem(title: "Import not found", detail: $"There is no import {runId}.", statusCode: StatusCodes.Status404NotFound);
        }

        var name = Path.GetFileNameWithoutExtension(run.FileName);
        var safe = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment")
        {
            FileNameStar = $"import-{runId}-{safe}-report.csv",
        }.ToString();
        await using var csv = CsvWriter.Create(context.Response.Body, new CsvWriterOptions { NewLine = "\r\n", WriteByteOrderMark = true, Injection = CsvInjection.None }, leaveOpen: true);
        var ct = context.RequestAborted;
        await csv.WriteRecordAsync(["Row", "Column", "Reason"], ct);
        await csv.WriteRecordAsync(["", "Imported", Count(run.Imported)], ct);
        await csv.WriteRecordAsync(["", "Duplicates", Count(run.Duplicates)], ct);
        await csv.WriteRecordAsync(["", "Refused", Count(run.Refused)], ct);
        await foreach (var refusal in imports.AllRefusalsAsync(runId, ct))
        {
            await csv.WriteRecordAsync([refusal.Row.ToString(CultureInfo.InvariantCulture), Guard(refusal.Column) ?? "", Guard(refusal.Reason) ?? ""], ct);
        }

        await csv.FlushAsync(ct);
        return TypedResults.Empty;
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>A cell a spreadsheet would run as a formula (a header or value quoted from the file) is written as text.</summary>
    public static string? Guard(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
