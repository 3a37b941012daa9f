using System.Diagnostics.Metrics;
using LeadPortal.Data;
using LeadPortal.Infrastructure;

namespace LeadPortal.TableIntake;

/// <summary>
/// Per source (tag <c>source</c>): leads stored from its table, seconds since its last complete read, and whether it is
/// failing. The gauges show what this instance last read of the sources' rows (every check interval, on each instance).
/// </summary>
public sealed class TableIntakeMetrics
{
    private readonly Counter<long> _imported;
    private volatile IReadOnlyList<Measurement<double>> _lag = [];
    private volatile IReadOnlyList<Measurement<long>> _failing = [];

    public TableIntakeMetrics(AppMetrics metrics)
    {
        var meter = metrics.Meter;
        _imported = meter.CreateCounter<long>("leadportal.table.imported", description: "Leads stored from an Azure Table source, by source.");
        meter.CreateObservableGauge("leadportal.table.lag", () => _lag, unit: "s", description: "Seconds since a table source's last complete read, by source.");
        meter.CreateObservableGauge("leadportal.table.failing", () => _failing, description: "1 while reading a table source fails, by source.");
    }

    public void Imported(string source, int count)
    {
        if (count > 0)
        {
            _imported.Add(count, new KeyValuePair<string, object?>("source", source));
        }
    }

    public void Observe(IReadOnlyList<TableSource> sources, DateTime now)
    {
        var active = sources.Where(s => !s.Paused).ToList();
        _lag = active.Where(s => s.LastSuccessAt is not null)
            .Select(s => new Measurement<double>((now - s.LastSuccessAt!.Value).TotalSeconds, new KeyValuePair<string, object?>("source", s.Name)))
            .ToList();
        _failing = active.Select(s => new Measurement<long>(s.FailingSince is null ? 0 : 1, new KeyValuePair<string, object?>("source", s.Name))).ToList();
    }
}
