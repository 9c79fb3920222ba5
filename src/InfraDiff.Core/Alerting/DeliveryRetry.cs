namespace InfraDiff.Alerting;

/// <summary>How one attempt at a delivery ended, when it did not succeed and may be tried again.</summary>
/// <param name="Problem">What went wrong, for the log and the final error.</param>
/// <param name="RetryAfter">How long the receiver asked to wait (Retry-After), when it did.</param>
internal readonly record struct FailedAttempt(string Problem, TimeSpan? RetryAfter = null);

/// <summary>
/// Tries a delivery up to a number of times: exponential backoff with jitter (between half and all of
/// base × 2^(attempt−1)), a receiver's Retry-After honoured instead, every wait capped. Waits on the given clock, so a
/// fake clock drives it in tests.
/// </summary>
internal sealed class DeliveryRetry(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider clock, Func<double>? random = null)
{
    private readonly Func<double> random = random ?? Random.Shared.NextDouble;

    /// <summary>
    /// Runs <paramref name="attempt"/> (given its number, from 1) until it returns null (delivered) or the attempts run
    /// out; returns null when delivered, else the last attempt's problem. An exception from an attempt ends the delivery.
    /// </summary>
    public async Task<string?> RunAsync(Func<int, CancellationToken, Task<FailedAttempt?>> attempt, Action<int, string, TimeSpan> retrying, CancellationToken cancellationToken)
    {
        string? lastProblem = null;
        for (var number = 1; number <= maxAttempts; number++)
        {
            if (await attempt(number, cancellationToken).ConfigureAwait(false) is not { } failed)
            {
                return null;
            }

            lastProblem = failed.Problem;
            if (number < maxAttempts)
            {
                var delay = DelayAfter(number, failed.RetryAfter);
                retrying(number, failed.Problem, delay);
                await Task.Delay(delay, clock, cancellationToken).ConfigureAwait(false);
            }
        }

        return lastProblem;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: the receiver's Retry-After, else backoff with jitter; at most the cap.</summary>
    public TimeSpan DelayAfter(int attempt, TimeSpan? retryAfter)
    {
        var delay = retryAfter ?? TimeSpan.FromMilliseconds(baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (0.5 + (random() / 2)));
        return delay > maxDelay ? maxDelay : delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
    }
}
