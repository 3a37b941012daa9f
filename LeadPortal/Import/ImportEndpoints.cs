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
        group.MapGet("/{runId:long}/reconciliation.csv", ReconciliationAsync).WithName("ImportReconciliation");
        return app;
    }

    public static string ReportUrl(long runId) => string.Create(CultureInfo.InvariantCulture, $"/api/imports/{runId}/report.csv");

    /// <summary>The reconciliation's download, its days in the viewer's time zone (an IANA or Windows id; UTC when unknown).</summary>
    public static string ReconciliationUrl(long runId, TimeZoneInfo zone) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/imports/{runId}/reconciliation.csv?tz={Uri.EscapeDataString(zone.Id)}");

    /// <summary>
    /// The reconciliation as CSV, computed again from the file and the store (a GET that stores nothing): every row never
    /// received and every lead the file lacks as they are found, then the counts per day and offer, the totals and the
    /// rule. Streamed: the report is never held whole. Cells quoted from the file or a lead that look like formulas are
    /// written as text.
    /// </summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ReconciliationAsync(HttpContext context, long runId, string? tz, Reconciliation reconciliation)
    {
        var zone = tz is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(tz, out var found) ? found : TimeZoneInfo.Utc;
        var ct = context.RequestAborted;
        CsvWriter? csv = null;
        string? fileName = null;

        async ValueTask<CsvWriter> StartAsync()
        {
            if (csv is null)
            {
                context.Response.ContentType = "text/csv; charset=utf-8";
                context.Response.Headers[HeaderNames.ContentDisposition] = new ContentDispositionHeaderValue("attachment")
                {
                    FileNameStar = $"import-{runId}-reconciliation.csv",
                }.ToString();
                csv = CsvWriter.Create(context.Response.Body, new CsvWriterOptions { NewLine = "\r\n", WriteByteOrderMark = true, Injection = CsvInjection.None }, leaveOpen: true);
                await csv.WriteRecordAsync(ReconciliationHeaders, ct);
            }

            return csv;
        }

        string Day(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var sink = new ReconciliationSink(
            async row => await (await StartAsync()).WriteRecordAsync(
                ["In file only", Day(row.At), Guard(row.Offer) ?? "", Count(row.Row), "", Utc(row.At), Guard(row.Name) ?? "", Guard(row.Email) ?? "",
                    Guard(row.Company) ?? "", row.Action, "", "Never received", "", "", ""], ct),
            async lead => await (await StartAsync()).WriteRecordAsync(
                ["Received only", Day(lead.ReceivedAt), Guard(lead.Offer) ?? "", "", lead.Id.ToString(CultureInfo.InvariantCulture), Utc(lead.ReceivedAt),
                    Guard(lead.Name) ?? "", Guard(lead.Email) ?? "", Guard(lead.Company) ?? "", lead.Action, Guard(LeadPortal.Shared.LeadOrigins.Describe(lead.Origin, lead.OriginName)) ?? "",
                    lead.Why, "", "", ""], ct));
        try
        {
            var result = await reconciliation.ComputeAsync(runId, zone, sink, cancellationToken: ct);
            if (result.Report is not { } report)
            {
                if (csv is null)
                {
                    return TypedResults.Problem(title: "File cannot be reconciled", detail: result.Error, statusCode: StatusCodes.Status422UnprocessableEntity);
                }

                // The file broke part-way (a row the check would refuse it at): the rows so far stand, and the file says so.
                await csv.WriteRecordAsync(["Error", "", "", "", "", "", "", "", "", "", "", result.Error ?? "", "", "", ""], ct);
                await csv.FlushAsync(ct);
                return TypedResults.Empty;
            }

            fileName = report.FileName;
            var writer = await StartAsync();
            foreach (var day in report.Days)
            {
                await writer.WriteRecordAsync(["Per day", day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Guard(day.Offer) ?? "", "", "", "", "", "", "", "", "", "",
                    Count(day.Matched), Count(day.InFileOnly), Count(day.ReceivedOnly)], ct);
            }

            await writer.WriteRecordAsync(["Total", "", "", "", "", "", "", "", "", "", "", $"{report.Rows:N0} rows in {Guard(fileName)}", Count(report.Matched), Count(report.InFileOnly), Count(report.ReceivedOnly)], ct);
            await writer.WriteRecordAsync(["Rule", "", "", "", "", "", "", "", "", "", "", report.Rule + $" Leads received from {Utc(report.ComparedFrom)} to {Utc(report.ComparedTo)} UTC were compared; days are in {zone.Id}.", "", "", ""], ct);
            await writer.FlushAsync(ct);
            return TypedResults.Empty;
        }
        finally
        {
            if (csv is not null)
            {
                await csv.DisposeAsync();
            }
        }
    }

    private static readonly string[] ReconciliationHeaders =
        ["Section", "Day", "Offer", "Row", "Lead", "At (UTC)", "Name", "E-mail", "Company", "Action", "Source", "Reason", "Matched", "In file only", "Received only"];

    private static string Utc(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

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
