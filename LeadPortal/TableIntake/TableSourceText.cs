namespace LeadPortal.TableIntake;

/// <summary>Spans and counts as the sources page and the health check write them.</summary>
public static class TableSourceText
{
    public static string Span(TimeSpan span) => span switch
    {
        { TotalSeconds: < 0 } => "0 s",
        { TotalSeconds: < 60 } => $"{span.TotalSeconds:0} s",
        { TotalMinutes: < 90 } => $"{span.TotalMinutes:0} min",
        { TotalHours: < 48 } => $"{span.TotalHours:0} h",
        _ => $"{span.TotalDays:0} days",
    };
}
