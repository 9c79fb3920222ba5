using InfraDiff.Host;
using InfraDiff.Reporting;

namespace InfraDiff.Alerting;

/// <summary>Appends each alert as one line of generic JSON to a file (created 0600), or writes it to stdout for "-".</summary>
public sealed class FileAlertSink(string path) : IAlertSink
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <inheritdoc />
    public string Id => path == "-" ? "stdout" : $"file {path}";

    /// <inheritdoc />
    public async Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default)
    {
        byte[] line = [.. ReportFormats.Render("generic", alert), (byte)'\n'];
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
}
