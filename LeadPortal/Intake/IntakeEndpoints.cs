using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using LeadPortal.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace LeadPortal.Intake;

/// <summary>The body of a 2xx answer to Partner Center.</summary>
/// <param name="Id">The stored lead (for a redelivery, the lead first stored with that body).</param>
/// <param name="Duplicate">True when the same body was already stored within the duplicate window.</param>
public sealed record LeadReceipt(string Id, bool Duplicate);

public static class IntakeEndpoints
{
    public const string KeyParameter = "key";

    /// <summary>How much of a rejected body the delivery log keeps.</summary>
    public const int BodyStartBytes = 4096;

    public static IEndpointRouteBuilder MapIntakeEndpoints(this IEndpointRouteBuilder app)
    {
        // Partner Center sends no cookie and no antiforgery token: the key in the URL is the only credential.
        var group = app.MapGroup("/api/leads")
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithTags("Intake");

        group.MapPost("", ReceiveLeadAsync)
            .WithName("ReceiveLead")
            .WithSummary("Receive one lead from Partner Center")
            .WithDescription(
                "The URL to paste into Partner Center's \"HTTPS endpoint\" lead destination. The body is the lead JSON as " +
                "Partner Center sends it; property names in any case, every field optional, unknown fields kept. " +
                "The Content-Type header is not checked. A 2xx is sent only after the lead is durably stored.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .AddOpenApiOperationTransformer(IntakeOpenApi.DescribeReceiveLead)
            // Runs as soon as it is routed: no cookie authentication, authorization, password gate or antiforgery
            // for a request that carries none of what they look at (forwarded headers and the API error handler
            // come before routing and still apply).
            .ShortCircuit();

        return app;
    }

    public static async Task<Results<Created<LeadReceipt>, Ok<LeadReceipt>, ProblemHttpResult>> ReceiveLeadAsync(
        HttpContext context,
        [FromQuery(Name = KeyParameter)] string? key,
        IntakeKeyStore keys,
        LeadWriter writer,
        IOptions<IntakeOptions> options,
        TimeProvider time)
    {
        var receivedAt = time.GetUtcNow().UtcDateTime;
        var maxBytes = options.Value.MaxBodyBytes;
        var keyId = await keys.ValidateAsync(key, context.RequestAborted);
        var delivery = new DeliveryLogEntry
        {
            ReceivedAt = receivedAt,
            IntakeKeyId = keyId,
            ClientIp = context.Connection.RemoteIpAddress?.ToString(),
        };

        var declaredLength = context.Request.ContentLength;
        if (declaredLength > maxBytes && keyId is not null)
        {
            // No need to take in the whole body to refuse it: its start is enough for the delivery log.
            var start = new byte[BodyStartBytes];
            var (startLength, _) = await ReadBodyAsync(context.Request.Body, start, start.Length, context.RequestAborted);
            delivery.BodySize = declaredLength.Value;
            delivery.BodyStart = BodyStart(start.AsSpan(0, startLength));
            return await RejectAsync(writer, delivery, DeliveryOutcome.Rejected, StatusCodes.Status413PayloadTooLarge,
                "Lead too large", $"The body has {declaredLength} bytes; the limit is {maxBytes}.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var (length, complete) = await ReadBodyAsync(context.Request.Body, buffer, maxBytes + 1, context.RequestAborted);
            var body = buffer.AsMemory(0, Math.Min(length, maxBytes));
            delivery.BodySize = complete ? length : Math.Max(length, declaredLength ?? 0);

            if (keyId is null)
            {
                delivery.BodyStart = BodyStart(body.Span);
                return await RejectAsync(writer, delivery, DeliveryOutcome.Unauthorized, StatusCodes.Status401Unauthorized,
                    "Unauthorized", "A valid intake key is required in the endpoint URL.");
            }

            if (length > maxBytes)
            {
                delivery.BodyStart = BodyStart(body.Span);
                return await RejectAsync(writer, delivery, DeliveryOutcome.Rejected, StatusCodes.Status413PayloadTooLarge,
                    "Lead too large", $"The body is larger than the limit of {maxBytes} bytes.");
            }

            if (!LeadPayloadParser.TryParse(body, out var lead, out var error))
            {
                delivery.BodyStart = BodyStart(body.Span);
                return await RejectAsync(writer, delivery, DeliveryOutcome.Rejected, StatusCodes.Status400BadRequest,
                    "Invalid lead", error!.Detail);
            }

            var work = new IntakeWork
            {
                Delivery = delivery,
                Lead = lead,
                RawBody = Encoding.UTF8.GetString(body.Span),
                BodyHash = SHA256.HashData(body.Span),
            };

            // Not the request's token: once queued, the lead is committed even if Partner Center hangs up.
            var result = await writer.SubmitAsync(work);
            var receipt = new LeadReceipt(result.LeadId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Duplicate);
            return result.Duplicate
                ? TypedResults.Ok(receipt)
                : TypedResults.Created($"/leads/{receipt.Id}", receipt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<ProblemHttpResult> RejectAsync(
        LeadWriter writer, DeliveryLogEntry delivery, DeliveryOutcome outcome, int statusCode, string title, string detail)
    {
        delivery.Outcome = outcome;
        delivery.StatusCode = statusCode;
        delivery.Reason = detail;
        await writer.SubmitAsync(new IntakeWork { Delivery = delivery });
        return TypedResults.Problem(title: title, detail: detail, statusCode: statusCode);
    }

    /// <summary>Reads up to <paramref name="limit"/> bytes; <c>complete</c> is false when more were left unread.</summary>
    private static async Task<(int Length, bool Complete)> ReadBodyAsync(Stream body, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var length = 0;
        while (length < limit)
        {
            var read = await body.ReadAsync(buffer.AsMemory(length, limit - length), cancellationToken);
            if (read == 0)
            {
                return (length, true);
            }

            length += read;
        }

        return (length, false);
    }

    /// <summary>The start of a body as text for the delivery log; bytes that are not UTF-8 become U+FFFD.</summary>
    private static string BodyStart(ReadOnlySpan<byte> body) =>
        Encoding.UTF8.GetString(body[..Math.Min(body.Length, BodyStartBytes)]);
}
