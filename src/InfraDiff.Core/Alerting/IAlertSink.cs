namespace InfraDiff.Alerting;

/// <summary>Delivers alerts somewhere: a webhook, a chat, a file. One method, like a logging sink.</summary>
public interface IAlertSink
{
    /// <summary>A short name for logs ("webhook https://hooks.example/…"), never carrying a secret.</summary>
    string Name { get; }

    /// <summary>Delivers the alert, or throws <see cref="AlertDeliveryException"/> once it has given up.</summary>
    Task SendAsync(DriftAlert alert, CancellationToken cancellationToken = default);
}
