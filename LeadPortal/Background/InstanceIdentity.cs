namespace LeadPortal.Background;

/// <summary>This process among the instances sharing a store: the holder named on leases and claimed messages.</summary>
public sealed class InstanceIdentity
{
    public string Name { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..6]}";
}
