using System.ComponentModel;
using System.Text;
using CliWrap;

namespace InfraDiff.Execution;

/// <summary>Runs commands on this machine through CliWrap, keeping at most <see cref="MaxOutputBytes"/> of each output stream.</summary>
public sealed class LocalCommandRunner : ICommandRunner
{
    /// <summary>The most a command may print on stdout (and on stderr): past it the command is stopped and fails, so a runaway tool cannot exhaust memory.</summary>
    public const int MaxOutputBytes = 64 << 20;

    /// <summary>The shared instance.</summary>
    public static LocalCommandRunner Instance { get; } = new();

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(
        string program,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdout = new CappedOutput(stop);
        var stderr = new CappedOutput(stop);
        try
        {
            var result = await Cli.Wrap(program)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                // A fixed locale keeps column headers and dates parseable whatever the operator's LANG is.
                .WithEnvironmentVariables(e => e.Set("LC_ALL", "C"))
                .WithStandardOutputPipe(PipeTarget.Create(stdout.ReadAsync))
                .WithStandardErrorPipe(PipeTarget.Create(stderr.ReadAsync))
                .ExecuteAsync(stop.Token)
                .ConfigureAwait(false);
            return new CommandResult(result.ExitCode, stdout.Text, stderr.Text);
        }
        catch (OperationCanceledException) when ((stdout.Exceeded || stderr.Exceeded) && !cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException($"{program} {string.Join(' ', arguments)}", -1, $"printed more than {MaxOutputBytes >> 20} MiB; stopped");
        }
        catch (Win32Exception ex)
        {
            throw new CommandNotFoundException(program, ex);
        }
    }

    /// <summary>One output stream, kept up to the limit; past it, the command is stopped.</summary>
    private sealed class CappedOutput(CancellationTokenSource stop)
    {
        private readonly MemoryStream buffer = new();

        public bool Exceeded { get; private set; }

        public string Text => Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);

        public async Task ReadAsync(Stream source, CancellationToken cancellationToken)
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxOutputBytes)
                {
                    Exceeded = true;
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }

                buffer.Write(chunk, 0, read);
            }
        }
    }
}
