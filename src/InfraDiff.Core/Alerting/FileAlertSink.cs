using InfraDiff.Host;
using InfraDiff.Reporting;

namespace InfraDiff.Alerting;

/// <summary>
/// Appends each alert to a file (created 0600), or writes it to stdout for "-": as one line of generic JSON, or as
/// Elastic Common Schema records, one a line (format "ecs", for a log shipper). A file past <c>rotateAt</c> bytes is
/// renamed FILE.1 (FILE.1 to FILE.2, and so on; FILE.5 is dropped) before the next alert is appended.
/// </summary>
/// <param name="path">The file, or "-" for stdout.</param>
/// <param name="format">"generic" (default) or "ecs".</param>
/// <param name="rotateAt">The size a file is rotated at; default 64 MiB.</param>
public sealed class FileAlertSink(string path, string format = "generic", long rotateAt = 64 << 20) : IAlertSink
{
    /// <summary>The formats a file or stdout takes.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["generic", "ecs"];

    /// <summary>How many rotated files are kept beside the file.</summary>
    private const int Kept = 5;

    private static readonly SemaphoreSlim Gate = new(1, 1);

    private readonly string format = Formats.Contains(format) ? format : throw new ArgumentException($"'{format}' is not one of {string.Join(", ", Formats)}", nameof(format));

    /// <inheritdoc />
    public string Id => (path == "-" ? "stdout" : $"file {path}") + (format == "generic" ? "" : $" ({format})");

    /// <inheritdoc />
    public async Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default)
    {
        byte[] line = format == "ecs" ? ReportFormats.Render("ecs", alert) : [.. ReportFormats.Render("generic", alert), (byte)'\n'];
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (path == "-")
            {
                var stdout = Console.OpenStandardOutput();
                await using (stdout.ConfigureAwait(false))
                {
                    await stdout.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (File.Exists(path) && new FileInfo(path).Length + line.Length > rotateAt)
            {
                Rotate();
            }

            var options = new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                UnixCreateMode = AtomicFile.OwnerOnly,
            };
            var stream = new FileStream(path, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException ex)
        {
            throw new AlertDeliveryException($"{Id}: {ex.Message}", ex);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>FILE.4 → FILE.5 (the old FILE.5 replaced), …, FILE → FILE.1.</summary>
    private void Rotate()
    {
        for (var n = Kept - 1; n >= 1; n--)
        {
            if (File.Exists($"{path}.{n}"))
            {
                File.Move($"{path}.{n}", $"{path}.{n + 1}", overwrite: true);
            }
        }

        File.Move(path, $"{path}.1", overwrite: true);
    }
}
