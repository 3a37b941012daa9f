using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using LeadPortal.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace LeadPortal.Intake;

/// <summary>The body of a 2xx answer to Partner Center.</summary>
/// <param name="Id">The stored lead (for a redelivery, the lead first stored with that body).</param>
/// <param name="Duplicate">True when the same body was already stored within the duplicate window.</param>
public sealed record LeadReceipt(string Id, bool Duplicate);

/// <summary>The 202 answer: the lead is kept in the instance's spool (fsync'd) and is stored when the store returns.</summary>
public sealed record SpoolReceipt(bool Spooled, string Detail);

public static class IntakeEndpoints
{
    public const string KeyParameter = "key";

    /// <summary>How much of a body refused for its content the delivery log keeps.</summary>
    public const int BodyStartBytes = 4096;

    /// <summary>The status logged for a client that hung up before its body arrived (nginx's "client closed request").</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>How long a client is asked to wait before posting again after a 503.</summary>
    public static readonly TimeSpan StoreRetryAfter = TimeSpan.FromSeconds(30);

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
                "The Content-Type header is not checked; Content-Encoding gzip, deflate and br are decoded. " +
                "A 2xx is sent only after the lead is durably stored.")
            .Produces<SpoolReceipt>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .AddOpenApiOperationTransformer(IntakeOpenApi.DescribeReceiveLead)
            // Runs as soon as it is routed: no cookie authentication, authorization, password gate or antiforgery
            // for a request that carries none of what they look at (forwarded headers and the API error handler
            // come before routing and still apply).
            .ShortCircuit();

        return app;
    }

    public static async Task<Results<Created<LeadReceipt>, Ok<LeadReceipt>, Accepted<SpoolReceipt>, ProblemHttpResult, EmptyHttpResult>> ReceiveLeadAsync(
        HttpContext context,
        [FromQuery(Name = KeyParameter)] string? key,
        IntakeKeyStore keys,
        LeadWriter writer,
        IntakeSpool spool,
        RefusalLog refusals,
        RefusalLimiter limiter,
        IOptions<IntakeOptions> options,
        TimeProvider time,
        Infrastructure.AppMetrics metrics)
    {
        var started = time.GetTimestamp();
        var answer = await ReceiveAsync(context, key, keys, writer, spool, refusals, limiter, options, time);
        switch (answer.Result)
        {
            case Created<LeadReceipt>:
                metrics.LeadsReceived.Add(1, new KeyValuePair<string, object?>("outcome", "created"));
                break;
            case Ok<LeadReceipt>:
                metrics.LeadsReceived.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));
                break;
            case Accepted<SpoolReceipt>:
                metrics.LeadsReceived.Add(1, new KeyValuePair<string, object?>("outcome", "spooled"));
                break;
            case ProblemHttpResult problem:
                metrics.LeadsRefused.Add(1, new KeyValuePair<string, object?>("reason", problem.StatusCode switch
                {
                    StatusCodes.Status401Unauthorized => "unauthorized",
                    StatusCodes.Status429TooManyRequests => "throttled",
                    StatusCodes.Status503ServiceUnavailable => "not_stored",
                    _ => "rejected",
                }));
                return answer;
            default:
                metrics.LeadsRefused.Add(1, new KeyValuePair<string, object?>("reason", "client_closed"));
                return answer;
        }

        metrics.IntakeDuration.Record(time.GetElapsedTime(started).TotalSeconds);
        return answer;
    }

    private static async Task<Results<Created<LeadReceipt>, Ok<LeadReceipt>, Accepted<SpoolReceipt>, ProblemHttpResult, EmptyHttpResult>> ReceiveAsync(
        HttpContext context,
        string? key,
        IntakeKeyStore keys,
        LeadWriter writer,
        IntakeSpool spool,
        RefusalLog refusals,
        RefusalLimiter limiter,
        IOptions<IntakeOptions> options,
        TimeProvider time)
    {
        var receivedAt = time.GetUtcNow().UtcDateTime;
        var maxBytes = options.Value.MaxBodyBytes;
        var client = RefusalLog.ClientOf(context.Connection.RemoteIpAddress);
        var declaredLength = context.Request.ContentLength;
        var delivery = new DeliveryLogEntry
        {
            ReceivedAt = receivedAt,
            ClientIp = context.Connection.RemoteIpAddress?.ToString(),
            BodySize = declaredLength ?? 0,
        };

        // Not the request's token: a caller that already hung up is still counted below.
        try
        {
            delivery.IntakeKeyId = await keys.ValidateAsync(key);
        }
        catch (KeysUnavailableException)
        {
            // Started while the store was unreachable: no key has been read yet, so none can be checked.
            context.Response.Headers.RetryAfter = ((int)StoreRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(title: "Lead not stored",
                detail: "The store is unreachable and the intake keys have not been read since this server started; nothing was kept. Send it again later.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (delivery.IntakeKeyId is null)
        {
            // The body of a call without a valid key is never read or kept: it costs a count in memory, nothing on disk.
            if (!limiter.TryTake(client, out var retryAfter))
            {
                context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Refuse(refusals, client, delivery, DeliveryOutcome.Throttled, StatusCodes.Status429TooManyRequests, "Too many refused requests",
                    $"This client made too many requests without a valid intake key; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.");
            }

            return Refuse(refusals, client, delivery, DeliveryOutcome.Unauthorized, StatusCodes.Status401Unauthorized,
                "Unauthorized", "A valid intake key is required in the endpoint URL.");
        }

        if (!TryDecoding(context.Request, out var body, out var encodingError))
        {
            return Refuse(refusals, client, delivery, DeliveryOutcome.Rejected, StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content encoding", encodingError);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            // No need to take in a body declared too large: its start is enough for the delivery log.
            var tooLarge = declaredLength > maxBytes && body == context.Request.Body;
            var read = await ReadBodyAsync(body, buffer, tooLarge ? BodyStartBytes : maxBytes + 1, context.RequestAborted);
            var length = read.Length;
            delivery.BodySize = read.Complete && !tooLarge ? length : Math.Max(length, declaredLength ?? 0);
            if (read.Failure is not null || tooLarge || length > maxBytes)
            {
                delivery.BodyStart = BodyStart(buffer.AsSpan(0, Math.Min(length, maxBytes)));
            }

            if (read.Failure is { } failure)
            {
                if (failure.StatusCode == ClientClosedRequest)
                {
                    // Nobody is left to answer; the refusal is counted and sampled like any other.
                    Refuse(refusals, client, delivery, DeliveryOutcome.Rejected, ClientClosedRequest, "Client closed the request", failure.Detail);
                    return TypedResults.Empty;
                }

                return Refuse(refusals, client, delivery, DeliveryOutcome.Rejected, failure.StatusCode, failure.Title, failure.Detail);
            }

            if (tooLarge || length > maxBytes)
            {
                return Refuse(refusals, client, delivery, DeliveryOutcome.Rejected, StatusCodes.Status413PayloadTooLarge, "Lead too large",
                    tooLarge ? $"The body has {declaredLength} bytes; the limit is {maxBytes}." : $"The body is larger than the limit of {maxBytes} bytes.");
            }

            var content = buffer.AsMemory(0, length);
            if (!LeadPayloadParser.TryParse(content, out var lead, out var error))
            {
                delivery.BodyStart = BodyStart(content.Span);
                return Refuse(refusals, client, delivery, DeliveryOutcome.Rejected, StatusCodes.Status400BadRequest, "Invalid lead", error!.Detail);
            }

            var work = new IntakeWork
            {
                Delivery = delivery,
                Lead = lead,
                RawBody = Encoding.UTF8.GetString(content.Span),
                BodyHash = SHA256.HashData(content.Span),
            };

            IntakeResult result;
            try
            {
                // Not the request's token: once queued, the lead is committed even if Partner Center hangs up.
                result = await writer.SubmitAsync(work);
            }
            catch (LeadNotStoredException notStored) when (notStored.StoreUnavailable && spool.Enabled)
            {
                // The store itself is unavailable: kept on this server's disk (flushed) before the 2xx, stored when it returns.
                if (await spool.TryAppendAsync(new SpooledLead(receivedAt, delivery.IntakeKeyId, delivery.ClientIp, work.RawBody)))
                {
                    return TypedResults.Accepted((string?)null, new SpoolReceipt(true,
                        $"The store is unavailable ({notStored.Message}); the lead is kept on this server and stored when it returns."));
                }

                context.Response.Headers.RetryAfter = ((int)StoreRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Refuse(refusals, client, delivery, DeliveryOutcome.NotStored, StatusCodes.Status503ServiceUnavailable,
                    "Lead not stored", $"The lead could not be stored ({notStored.Message}) nor kept in the local spool; nothing was kept. Send it again later.");
            }
            catch (LeadNotStoredException notStored)
            {
                // Never a 2xx for a lead that is not stored. If it was committed after all (the writer gave up waiting on
                // a lock just as it cleared), Partner Center's next try is recognised as a redelivery of the same body.
                context.Response.Headers.RetryAfter = ((int)StoreRetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                return Refuse(refusals, client, delivery, DeliveryOutcome.NotStored, StatusCodes.Status503ServiceUnavailable,
                    "Lead not stored", $"The lead could not be stored ({notStored.Message}); nothing was kept. Send it again later.");
            }

            var receipt = new LeadReceipt(result.LeadId!.Value.ToString(CultureInfo.InvariantCulture), result.Duplicate);
            return result.Duplicate
                ? TypedResults.Ok(receipt)
                : TypedResults.Created($"/leads/{receipt.Id}", receipt);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ProblemHttpResult Refuse(
        RefusalLog refusals, string client, DeliveryLogEntry delivery, DeliveryOutcome outcome, int statusCode, string title, string detail)
    {
        delivery.Outcome = outcome;
        delivery.StatusCode = statusCode;
        delivery.Reason = detail;
        if (outcome is DeliveryOutcome.Unauthorized or DeliveryOutcome.Throttled)
        {
            delivery.BodyStart = null;
        }

        refusals.Record(client, delivery);
        return TypedResults.Problem(title: title, detail: Capped(detail), statusCode: statusCode);
    }

    /// <summary>The longest problem detail sent back: the parser quotes the offending token, which can be most of the body.</summary>
    public const int MaxDetailLength = 300;

    private static string Capped(string detail)
    {
        if (detail.Length <= MaxDetailLength)
        {
            return detail;
        }

        // Cut between text elements, so no emoji or accented letter is split.
        var cut = 0;
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(detail);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= MaxDetailLength - 1)
        {
            cut = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return detail[..cut] + "…";
    }

    /// <summary>The body to read: the request's own, or a decoder over it for Content-Encoding gzip, deflate or br.</summary>
    private static bool TryDecoding(HttpRequest request, out Stream body, out string error)
    {
        body = request.Body;
        error = "";
        var encodings = request.Headers.ContentEncoding.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (encodings)
        {
            case []:
            case ["identity"]:
                return true;
            case [var single] when single.Equals("gzip", StringComparison.OrdinalIgnoreCase) || single.Equals("x-gzip", StringComparison.OrdinalIgnoreCase):
                body = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                return true;
            case [var single] when single.Equals("deflate", StringComparison.OrdinalIgnoreCase):
                body = new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                return true;
            case [var single] when single.Equals("br", StringComparison.OrdinalIgnoreCase):
                body = new BrotliStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
                return true;
            default:
                error = $"Content-Encoding \"{string.Join(", ", encodings)}\" is not supported; send the lead as plain JSON, or encoded with gzip, deflate or br.";
                return false;
        }
    }

    private sealed record ReadFailure(int StatusCode, string Title, string Detail);

    private readonly record struct BodyRead(int Length, bool Complete, ReadFailure? Failure);

    /// <summary>
    /// Reads up to <paramref name="limit"/> bytes; <c>Complete</c> is false when more were left unread. A body that
    /// stops arriving, breaks off, or cannot be decoded is a refusal with its reason, never an unhandled error.
    /// </summary>
    private static async Task<BodyRead> ReadBodyAsync(Stream body, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var length = 0;
        try
        {
            while (length < limit)
            {
                var read = await body.ReadAsync(buffer.AsMemory(length, limit - length), cancellationToken);
                if (read == 0)
                {
                    return new BodyRead(length, true, null);
                }

                length += read;
            }

            return new BodyRead(length, false, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            return new BodyRead(length, false, new ReadFailure(ex.StatusCode, "Body too slow",
                $"The body arrived too slowly ({length} bytes before the server stopped waiting); send it again at once."));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new BodyRead(length, false, new ReadFailure(ex.StatusCode, "Lead too large", "The body is larger than the server accepts."));
        }
        catch (BadHttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The headers were read before the endpoint ran: a 400 here is about the body's framing (a bad chunk).
            return new BodyRead(length, false, new ReadFailure(ex.StatusCode, "Invalid request", $"The body could not be read: {ex.Message}"));
        }
        catch (InvalidDataException ex)
        {
            return new BodyRead(length, false, new ReadFailure(StatusCodes.Status400BadRequest, "Invalid lead",
                $"The body could not be decoded as its Content-Encoding says: {ex.Message}"));
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            return new BodyRead(length, false, new ReadFailure(ClientClosedRequest, "Client closed the request",
                $"The client closed the connection after {length} bytes, before the whole body arrived."));
        }
        finally
        {
            if (body is GZipStream or ZLibStream or BrotliStream)
            {
                await body.DisposeAsync();
            }
        }
    }

    /// <summary>The start of a body as text for the delivery log; bytes that are not UTF-8 become U+FFFD.</summary>
    /// <summary>The start of a refused body for the delivery log. A raw NUL (which makes the body invalid JSON) is shown
    /// as ␀: PostgreSQL's text cannot hold U+0000, and the refusal's log row must not fail for it.</summary>
    private static string BodyStart(ReadOnlySpan<byte> body) =>
        Encoding.UTF8.GetString(body[..Math.Min(body.Length, BodyStartBytes)]).Replace('\0', '\u2400');
}
