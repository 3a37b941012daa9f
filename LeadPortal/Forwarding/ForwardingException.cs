namespace LeadPortal.Forwarding;

/// <summary>A delivery that cannot be attempted, with the reason an admin reads in the attempt log.</summary>
public sealed class ForwardingException(string message) : Exception(message);
