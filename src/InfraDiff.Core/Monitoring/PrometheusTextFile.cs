using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using InfraDiff.Host;

namespace InfraDiff.Monitoring;

/// <summary>
/// The <see cref="InfraDiffMetrics"/> meter written as a Prometheus text-format file for node_exporter's textfile
/// collector, atomically (0600) at the end of each watch cycle. Counters are totals since the watcher started
/// (<c>_total</c>); gauges and durations are the last value (seconds, <c>_seconds</c>).
/// </summary>
public sealed class PrometheusTextFile : IDisposable
{
    private readonly string path;
    private readonly PrometheusExposition exposition;

    /// <summary>Starts listening to the meter; the file is written at the end of each cycle.</summary>
    /// <exception cref="InfraDiffException">The file's folder does not exist.</exception>
    public PrometheusTextFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        this.path = Path.GetFullPath(path);
        if (!Directory.Exists(Path.GetDirectoryName(this.path)))
        {
            throw new InfraDiffException($"--metrics-file {path}: no such directory");
        }

        exposition = new PrometheusExposition(() => AtomicFile.WriteAsync(this.path, Encoding.UTF8.GetBytes(exposition!.Text())).GetAwaiter().GetResult());
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => exposition.Dispose();
}

/// <summary>
/// The <see cref="InfraDiffMetrics"/> meter as Prometheus' text format: every measurement kept (counters summed since
/// the process started, gauges at their last value), rendered on demand, sorted so the text is stable.
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), double> values = new();

    private readonly Action? cycleEnded;

    /// <summary>Starts listening to the meter; <paramref name="cycleEnded"/> is called as each watch cycle's last measurement is taken.</summary>
    public PrometheusExposition(Action? cycleEnded = null)
    {
        this.cycleEnded = cycleEnded;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == InfraDiffMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>When the last watch cycle ended without error, once one has.</summary>
    public DateTimeOffset? LastSuccess =>
        values.FirstOrDefault(v => v.Key.Instrument == (Instrument)InfraDiffMetrics.LastSuccess).Value is > 0 and var seconds
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;

    /// <summary>Stops listening.</summary>
    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = (instrument, Labels(tags));
        if (instrument is Counter<long> or Counter<double>)
        {
            values.AddOrUpdate(key, value, (_, total) => total + value);
        }
        else
        {
            values[key] = value;
        }

        // The cycle counter is the cycle's last measurement: the text then holds the whole cycle.
        if (instrument.Name == "infradiff.cycles")
        {
            cycleEnded?.Invoke();
        }
    }

    /// <summary>The exposition text: HELP and TYPE once per metric, then its samples, sorted so the file is stable.</summary>
    internal string Text()
    {
        var text = new StringBuilder();
        foreach (var metric in values.GroupBy(v => v.Key.Instrument).OrderBy(g => Name(g.Key), StringComparer.Ordinal))
        {
            var name = Name(metric.Key);
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {metric.Key.Description}\n");
            text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} {(IsCounter(metric.Key) ? "counter" : "gauge")}\n");
            foreach (var (key, value) in metric.OrderBy(v => v.Key.Labels, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{name}{key.Labels} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
            }
        }

        return text.ToString();
    }

    private static bool IsCounter(Instrument instrument) => instrument is Counter<long> or Counter<double>;

    /// <summary>"infradiff.collector.duration" in seconds is infradiff_collector_duration_seconds; a counter ends in _total.</summary>
    private static string Name(Instrument instrument) =>
        instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "") + (IsCounter(instrument) ? "_total" : "");

    /// <summary>{collector="files",status="ok"}: names sorted, values escaped as the text format requires.</summary>
    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var (name, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{name}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }
}
