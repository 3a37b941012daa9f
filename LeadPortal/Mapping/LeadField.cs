namespace LeadPortal.Mapping;

/// <summary>A lead value that a column or a <c>{Field}</c> placeholder can use.</summary>
/// <param name="Name">The name profiles refer to it by (matched ignoring case).</param>
/// <param name="Label">What a profile editor shows.</param>
/// <param name="Read">The value as text; dates are rendered as the profile says.</param>
/// <param name="ReadDate">The underlying UTC date, for fields that <see cref="TransformKind.DateFormat"/> can re-render.</param>
public sealed record LeadField(
    string Name,
    string Label,
    Func<LeadRow, DateRendering, string?> Read,
    Func<LeadRow, DateTime>? ReadDate = null)
{
    public bool IsDate => ReadDate is not null;
}
