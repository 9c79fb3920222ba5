using System.ComponentModel;
using System.Text;
using CliWrap;

namespace InfraDiff.Host;

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

    /// <summary>
    /// One output stream, kept up to the limit in chunks (no buffer that doubles and copies as it grows); past the
    /// limit, the command is stopped.
    /// </summary>
    private sealed class CappedOutput(CancellationTokenSource stop)
    {
        private const int ChunkSize = 1 << 16;
        private readonly List<byte[]> chunks = [];
        private long length;

        public bool Exceeded { get; private set; }

        public string Text
        {
            get
            {
                var bytes = new byte[length];
                var offset = 0;
                foreach (var chunk in chunks)
                {
                    var count = (int)Math.Min(ChunkSize, length - offset);
                    chunk.AsSpan(0, count).CopyTo(bytes.AsSpan(offset));
                    offset += count;
                }

                return Encoding.UTF8.GetString(bytes);
            }
        }

        public async Task ReadAsync(Stream source, CancellationToken cancellationToken)
        {
            while (true)
            {
                var position = (int)(length % ChunkSize);
                if (position == 0)
                {
                    if (length >= MaxOutputBytes)
                    {
                        // One byte more than the limit allows is enough to know.
                        var probe = new byte[1];
                        if (await source.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0)
                        {
                            Exceeded = true;
                            await stop.CancelAsync().ConfigureAwait(false);
                        }

                        return;
                    }

                    chunks.Add(new byte[ChunkSize]);
                }

                var read = await source.ReadAsync(chunks[^1].AsMemory(position), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                length += read;
            }
        }
    }
}
