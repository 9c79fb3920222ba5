namespace InfraDiff.Monitoring;

/// <summary>The loop every watcher runs: a cycle, then a wait to the next interval, until cancelled; a failed cycle is told and the next one runs.</summary>
internal static class CycleLoop
{
    public static async Task RunAsync(TimeSpan interval, TimeProvider clock, Func<CancellationToken, Task> cycle, Action<Exception> failed, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = clock.GetUtcNow();
            try
            {
                await cycle(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failed(ex);
            }

            var wait = interval - (clock.GetUtcNow() - started);
            try
            {
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
