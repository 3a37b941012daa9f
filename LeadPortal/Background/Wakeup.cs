namespace LeadPortal.Background;

/// <summary>
/// Wakes a polling loop early (a lead was committed, an admin pressed "send now"). Polling stays the safety net: a
/// wake-up from another instance, or one lost in a race, only costs one poll interval.
/// </summary>
public sealed class Wakeup
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Set()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set.
        }
    }

    /// <summary>Waits until <see cref="Set"/> or the timeout; true when woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
