using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CliWrap;
using InfraDiff.Host;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace InfraDiff.Fleet;

/// <summary>
/// Takes a snapshot of each host of a fleet over the system's OpenSSH client: the tool is copied to the host when it
/// is missing or a different build (checked by SHA-256 there), run there (through sudo when the inventory says
/// become), and its snapshot streamed into the host's store directory. A host that fails is a result with a reason;
/// the others go on.
/// </summary>
public sealed class FleetRunner(FleetOptions options, ILogger<FleetRunner>? logger = null)
{
    /// <summary>What a remote run script exits with when the host's machine is not the one the cached probe said.</summary>
    private const int WrongMachine = 96;

    /// <summary>What a remote run script exits with when the tool is missing there or its SHA-256 differs.</summary>
    private const int ToolMissing = 97;

    private const int MaxStderrBytes = 16 << 10;

    private const string RemoteToolDirectory = "\"${XDG_CACHE_HOME:-$HOME/.cache}/infradiff/tools\"";

    private readonly ILogger logger = logger ?? NullLogger<FleetRunner>.Instance;
    private readonly ConcurrentDictionary<string, Task<ToolBuild?>> builds = new(StringComparer.Ordinal);

    /// <summary>Snapshots every host, <see cref="FleetOptions.Forks"/> at a time; the results are in the hosts' order.</summary>
    public async Task<IReadOnlyList<FleetHostResult>> SnapshotAsync(IReadOnlyList<InventoryHost> hosts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        options.Validate();
        AtomicFile.CreateDirectory(options.StoreDirectory);
        var results = new FleetHostResult[hosts.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, hosts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Forks, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await SnapshotAsync(hosts[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>The newest snapshot of a host, in its directory of the store.</summary>
    public const string LatestFile = "latest.json";

    /// <summary>The directory of a host in a store: its latest snapshot, baseline and the runtime it was found to need.</summary>
    public static string HostDirectory(string storeDirectory, string hostName) => Path.Join(storeDirectory, hostName);

    private async Task<FleetHostResult> SnapshotAsync(InventoryHost host, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var uploaded = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HostTimeout);
        try
        {
            var directory = HostDirectory(options.StoreDirectory, host.Name);
            AtomicFile.CreateDirectory(directory);
            if (Unsupported(host) is { } unsupported)
            {
                return Failed(host, unsupported, uploaded, clock);
            }

            var runtimeFile = Path.Join(directory, "runtime");
            var runtime = File.Exists(runtimeFile) ? (await File.ReadAllTextAsync(runtimeFile, timeout.Token).ConfigureAwait(false)).Trim() : null;
            if (runtime is not null && !ToolBuild.Runtimes.Contains(runtime))
            {
                runtime = null;
            }

            for (var attempt = 0; attempt < 3; attempt++)
            {
                if (runtime is null)
                {
                    var probe = await RunAsync(host, "uname -m; if ls /lib/ld-musl-* >/dev/null 2>&1; then echo musl; else echo gnu; fi", null, null, timeout.Token).ConfigureAwait(false);
                    if (probe.ExitCode != 0)
                    {
                        return Failed(host, probe.Reason, uploaded, clock);
                    }

                    // The last two lines: a login script that prints something (a banner in .bashrc) comes before them.
                    var said = probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    var lines = said.Length > 2 ? said[^2..] : said;
                    runtime = lines.Length == 2 ? ToolBuild.RuntimeFor(lines[0], lines[1] == "musl") : null;
                    if (runtime is null)
                    {
                        return Failed(host, $"no build of the tool runs on a '{HostText.Clean(Excerpt.Cut(lines.FirstOrDefault() ?? "?"))}' machine (x86_64 and aarch64 do)", uploaded, clock);
                    }

                    await AtomicFile.WriteAsync(runtimeFile, Encoding.UTF8.GetBytes(runtime + "\n"), timeout.Token).ConfigureAwait(false);
                }

                var build = await builds.GetOrAdd(runtime, r => ToolBuild.FindAsync(options.ToolDirectory, r, CancellationToken.None)).ConfigureAwait(false);
                if (build is null)
                {
                    return Failed(host, $"the controller has no {runtime} build of the tool: put one at {Path.Join(options.ToolDirectory, $"infradiff-{runtime}")} (deploy/fleet/fleet-tools.sh builds them)", uploaded, clock);
                }

                var incoming = Path.Join(directory, $".incoming.{Environment.ProcessId}.tmp");
                try
                {
                    var run = await RunAsync(host, RunScript(host, build), null, incoming, timeout.Token).ConfigureAwait(false);
                    switch (run.ExitCode)
                    {
                        case WrongMachine:
                            runtime = null;
                            continue;
                        case ToolMissing when !uploaded:
                            var upload = await RunAsync(host, UploadScript(build), build.Path, null, timeout.Token).ConfigureAwait(false);
                            if (upload.ExitCode != 0)
                            {
                                return Failed(host, $"copying the tool failed: {upload.Reason}", uploaded, clock);
                            }

                            uploaded = true;
                            InfraDiffLog.FleetToolCopied(this.logger, host.Name, build.RuntimeIdentifier, build.Length, build.Sha256);
                            continue;
                        case 0 or 3:
                            return await KeepAsync(host, incoming, Path.Join(directory, LatestFile), run.ExitCode == 3, uploaded, clock, timeout.Token).ConfigureAwait(false);
                        default:
                            return Failed(host, run.Reason, uploaded, clock);
                    }
                }
                finally
                {
                    File.Delete(incoming);
                }
            }

            return Failed(host, "the host's machine changed while it was being worked on", uploaded, clock);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(host, $"timed out after {options.HostTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s", uploaded, clock);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InfraDiffException)
        {
            return Failed(host, ex is InfraDiffException ? ex.Message : FileProblem.Describe(ex), uploaded, clock);
        }
    }

    private static string? Unsupported(InventoryHost host) =>
        host.Connection is not ("ssh" or "local") ? $"ansible_connection '{HostText.Clean(Excerpt.Cut(host.Connection))}' is not supported (ssh or local)"
        : host.Become && host.Variables.TryGetValue("ansible_become_method", out var method) && method != "sudo" ? $"ansible_become_method '{HostText.Clean(Excerpt.Cut(method))}' is not supported (sudo)"
        : null;

    /// <summary>Checks that what came back is a snapshot before it replaces the host's latest one.</summary>
    private async Task<FleetHostResult> KeepAsync(InventoryHost host, string incoming, string latest, bool partial, bool uploaded, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            await SnapshotFile.ReadAsync(incoming, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidSnapshotException ex)
        {
            return Failed(host, $"the host sent something that is not a snapshot: {ex.Problem}", uploaded, clock);
        }

        File.Move(incoming, latest, overwrite: true);
        InfraDiffLog.FleetHostDone(logger, host.Name, new FileInfo(latest).Length, clock.Elapsed.TotalSeconds);
        return new FleetHostResult(host, latest, null, partial, uploaded, clock.Elapsed);
    }

    private FleetHostResult Failed(InventoryHost host, string reason, bool uploaded, Stopwatch clock)
    {
        InfraDiffLog.FleetHostFailed(logger, host.Name, reason);
        return new FleetHostResult(host, null, reason, false, uploaded, clock.Elapsed);
    }

    /// <summary>
    /// Runs the tool if the host holds this build, else exits <see cref="ToolMissing"/>. The copy was checked by
    /// SHA-256 when it arrived and is named by that digest in a 0700 directory; each run checks only its size (hashing
    /// 120 MB with coreutils' sha256sum took 0.8 s a run): whoever could alter it there is the user it runs as.
    /// </summary>
    private string RunScript(InventoryHost host, ToolBuild build)
    {
        var arguments = new List<string> { "snapshot", "--quiet" };
        if (host.Root is { } root)
        {
            arguments.AddRange(["--root", root]);
        }

        arguments.AddRange(options.SnapshotArguments);
        var sudo = host.Become ? $"sudo -n {(host.BecomeUser is { } user ? $"-u {Quote(user)} " : "")}-- " : "";
        // The extraction directory keeps the single-file build's native libraries beside it, not in ~/.net.
        return $"d={RemoteToolDirectory}; f=\"$d/infradiff-{build.Sha256}\"; "
            + $"case \"$(uname -m)\" in {ToolBuild.MachinesOf(build.RuntimeIdentifier)}) ;; *) exit {WrongMachine} ;; esac; "
            + $"[ -f \"$f\" ] && [ \"$(wc -c < \"$f\")\" -eq {build.Length.ToString(CultureInfo.InvariantCulture)} ] || exit {ToolMissing}; "
            + $"exec {sudo}env DOTNET_BUNDLE_EXTRACT_BASE_DIR=\"$d/extract\" \"$f\" {string.Join(' ', arguments.Select(Quote))}";
    }

    /// <summary>Receives the build on stdin, checks its SHA-256 there, and keeps it as the only build in the host's cache.</summary>
    private static string UploadScript(ToolBuild build) =>
        $"umask 077; d={RemoteToolDirectory}; mkdir -p \"$d\" || exit 1; t=\"$d/.upload.$$\"; "
        + "cat > \"$t\" || { rm -f \"$t\"; exit 1; }; "
        + $"[ \"$(sha256sum < \"$t\" | cut -c1-64)\" = {build.Sha256} ] || {{ rm -f \"$t\"; echo 'the copy on the host does not have the SHA-256 of the build sent' >&2; exit 1; }}; "
        + $"chmod 700 \"$t\" && mv -f \"$t\" \"$d/infradiff-{build.Sha256}\" || exit 1; "
        + $"for o in \"$d\"/infradiff-*; do [ \"$o\" = \"$d/infradiff-{build.Sha256}\" ] || rm -f \"$o\"; done; rm -rf \"$d/extract\"";

    /// <summary>A word for a POSIX shell, inert whatever it holds.</summary>
    internal static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The ssh command line for a host; the remote command goes through sh whatever the user's login shell is.</summary>
    internal IReadOnlyList<string> SshArguments(InventoryHost host, string script)
    {
        var arguments = new List<string>
        {
            // BatchMode: never a password or host-key prompt; an unknown or changed host key is a failure, not a question.
            "-o", "BatchMode=yes",
            "-o", string.Create(CultureInfo.InvariantCulture, $"ConnectTimeout={Math.Max(1, (int)options.ConnectTimeout.TotalSeconds)}"),
        };
        if (host.Port is { } port)
        {
            arguments.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
        }

        if (host.User is { } user)
        {
            arguments.AddRange(["-l", user]);
        }

        if (host.IdentityFile is { } key)
        {
            arguments.AddRange(["-i", key]);
        }

        foreach (var name in new[] { "ansible_ssh_common_args", "ansible_ssh_extra_args" })
        {
            if (host.Variables.TryGetValue(name, out var extra))
            {
                arguments.AddRange(IniInventoryParser.Split(extra));
            }
        }

        arguments.AddRange(["--", host.Address, $"sh -c {Quote(script)}"]);
        return arguments;
    }

    private async Task<RemoteResult> RunAsync(InventoryHost host, string script, string? input, string? outputFile, CancellationToken cancellationToken)
    {
        var command = host.Connection == "local"
            ? Cli.Wrap("sh").WithArguments(["-c", script])
            : Cli.Wrap(options.SshProgram).WithArguments(SshArguments(host, script));
        var stdout = new StringBuilder();
        var stderr = new BoundedText(MaxStderrBytes);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var exceeded = false;
        FileStream? file = null;
        try
        {
            if (outputFile is not null)
            {
                file = new FileStream(outputFile, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = AtomicFile.OwnerOnly, BufferSize = 1 << 16 });
            }

            var target = file is null
                ? PipeTarget.ToStringBuilder(stdout)
                : PipeTarget.Create(async (source, token) =>
                {
                    // Streamed to disk as it arrives: the controller holds no host's snapshot in memory.
                    var buffer = new byte[1 << 16];
                    long total = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                    {
                        total += read;
                        if (total > options.MaxSnapshotBytes)
                        {
                            exceeded = true;
                            await stop.CancelAsync().ConfigureAwait(false);
                            return;
                        }

                        await file.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                    }
                });
            var result = await command
                .WithValidation(CommandResultValidation.None)
                .WithStandardInputPipe(input is null ? PipeSource.Null : PipeSource.FromFile(input))
                .WithStandardOutputPipe(target)
                .WithStandardErrorPipe(PipeTarget.Create(stderr.ReadAsync))
                .ExecuteAsync(stop.Token)
                .ConfigureAwait(false);
            if (file is not null)
            {
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return new RemoteResult(result.ExitCode, stdout.ToString(), Reason(host, result.ExitCode, stderr.Text));
        }
        catch (OperationCanceledException) when (exceeded && !cancellationToken.IsCancellationRequested)
        {
            return new RemoteResult(-1, "", $"the snapshot was larger than {options.MaxSnapshotBytes:N0} bytes; stopped");
        }
        catch (Win32Exception ex)
        {
            throw new Host.CommandNotFoundException(host.Connection == "local" ? "sh" : options.SshProgram, ex);
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The last thing the host or ssh said on stderr, made inert, as the reason a step failed.</summary>
    private string Reason(InventoryHost host, int exitCode, string stderr)
    {
        var last = stderr.Split('\n').Select(l => HostText.Clean(l).Trim()).LastOrDefault(l => l.Length > 0);
        // ssh exits 255 for its own errors (refused, unreachable, host key, authentication); anything else is the host's.
        var who = exitCode == 255 && host.Connection != "local" ? "ssh" : "the host";
        return last is null ? $"{who} exited {exitCode.ToString(CultureInfo.InvariantCulture)} without a message"
            : last.StartsWith($"{who}:", StringComparison.Ordinal) ? Excerpt.Cut(last, 200)
            : $"{who}: {Excerpt.Cut(last, 200)}";
    }

    private sealed record RemoteResult(int ExitCode, string Output, string Reason);

    /// <summary>The first bytes of a stream as text; the rest is read and dropped so the program never blocks on a full pipe.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly MemoryStream kept = new();

        public string Text => Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);

        public async Task ReadAsync(Stream source, CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var room = limit - (int)kept.Length;
                if (room > 0)
                {
                    kept.Write(buffer, 0, Math.Min(room, read));
                }
            }
        }
    }
}
