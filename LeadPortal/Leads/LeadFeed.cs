namespace LeadPortal.Leads;

/// <summary>A newly stored lead, announced to open inboxes.</summary>
public readonly record struct LeadArrival(long LeadId, bool IsTest);

/// <summary>
/// Tells open inboxes (Blazor circuits) that leads arrived. A singleton that carries ids only;
/// subscribers marshal onto their own renderer with InvokeAsync.
/// </summary>
public sealed class LeadFeed(ILogger<LeadFeed> logger)
{
    private readonly Lock _gate = new();
    private Subscription[] _subscribers = [];

    public IDisposable Subscribe(Action<IReadOnlyList<LeadArrival>> onArrival)
    {
        var subscription = new Subscription(this, onArrival);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    public void Publish(IReadOnlyList<LeadArrival> arrivals)
    {
        if (arrivals.Count == 0)
        {
            return;
        }

        foreach (var subscriber in _subscribers)
        {
            try
            {
                subscriber.OnArrival(arrivals);
            }
            catch (Exception ex)
            {
                // One broken circuit must not keep the others (or the intake writer) from going on.
                logger.LogWarning(ex, "A lead feed subscriber failed.");
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => !ReferenceEquals(s, subscription))];
        }
    }

    private sealed class Subscription(LeadFeed feed, Action<IReadOnlyList<LeadArrival>> onArrival) : IDisposable
    {
        public Action<IReadOnlyList<LeadArrival>> OnArrival { get; } = onArrival;

        public void Dispose() => feed.Unsubscribe(this);
    }
}
