using System.CommandLine;
using InfraDiff.Cli.Rendering;
using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Sections;
using InfraDiff.Sections.Docker;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Cli.Commands;

/// <summary>The options that choose what a snapshot collects: shared by every command that takes one.</summary>
internal sealed class SnapshotSelection
{
    private readonly Option<string[]> only = new("--only")
    {
        HelpName = "SECTIONS",
        Description = "Collect only these sections (comma-separated or repeated), e.g. --only users,packages.",
    };

    private readonly Option<string[]> exclude = new("--exclude")
    {
        HelpName = "SECTIONS",
        Description = "Skip these sections (comma-separated or repeated).",
    };

    private readonly Option<string> root = new("--root")
    {
        Description = "Read the host's files under DIR instead of / (a mounted image, a container's rootfs, the host's root mounted into infradiff's container). Runtime state is then not collected [env INFRADIFF_ROOT; default /].",
        HelpName = "DIR",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("INFRADIFF_ROOT") is { Length: > 0 } root ? root : "/",
    };

    private readonly Option<string?> image = new("--image")
    {
        Description = "Snapshot a container image instead of this host: NAME[:TAG] or ID on the Docker engine (--docker-host). Its file system is exported through the Engine API (a container created, never started, then removed), unpacked under TMPDIR and read as with --root; the docker section is left out. Needs root, to keep the files' owners.",
        HelpName = "IMAGE",
    };

    private readonly Option<bool> hostKernel = new("--host-kernel")
    {
        Description = "With --root holding the host's own root inside a container run with --pid host --network host: read the running kernel, mounts, interfaces, sockets and firewall as the host's (checked: PID 1 must be the host's init, in this network namespace) [env INFRADIFF_HOST_KERNEL=1].",
    };

    private readonly Option<string> timeout = new("--collector-timeout")
    {
        Description = "How long one collector may run before it is recorded as timed out: 30s, 5m, … [default: 30s].",
        HelpName = "DURATION",
    };

    private readonly Option<string> filesTimeout = new("--files-timeout")
    {
        Description = "How long the files collector may run: 10m, 1h, … [default: no limit; a first scan hashes everything].",
        HelpName = "DURATION",
    };

    private readonly Option<string[]> files = new("--files")
    {
        Description = $"Scan PATH for the files section (repeatable; an absolute path on the host, read under --root); replaces the default roots {string.Join(", ", FilesCollectorOptions.DefaultRoots)}.",
        HelpName = "PATH",
    };

    private readonly Option<string[]> filesExclude = new("--files-exclude")
    {
        Description = "Leave out paths matching GLOB (repeatable; '*' within a name, '**' across directories), besides the default excludes.",
        HelpName = "GLOB",
    };

    private readonly Option<bool> filesCrossMounts = new("--files-cross-mounts")
    {
        Description = "Descend into filesystems mounted below a files root (by default each root stays on its own filesystem).",
    };

    private readonly Option<string> cacheDirectory = new("--cache-dir")
    {
        Description = "Where file hashes are cached between runs, and the key that fingerprints Docker environment values is kept (default: $XDG_CACHE_HOME/infradiff, else ~/.cache/infradiff).",
        HelpName = "DIR",
        DefaultValueFactory = _ => CacheDirectory.Default(),
    };

    private readonly Option<string?> dockerHost = new("--docker-host")
    {
        Description = "The Docker engine to ask (unix:///var/run/docker.sock, tcp://host:2376); default: DOCKER_HOST, the current docker context, else the default socket.",
        HelpName = "URL",
    };

    private readonly Option<bool> noCache = new("--no-cache")
    {
        Description = "Hash every file, neither reading nor writing the hash cache.",
    };

    private readonly Option<bool> noVerify = new("--no-verify")
    {
        Description = "Do not record which package owns each file nor check it against the digest the package shipped (dpkg, rpm, apk).",
    };

    /// <summary>Adds the options; <paramref name="withImage"/> adds --image too (a command that takes one snapshot).</summary>
    public void AddTo(Command command, bool withImage = false)
    {
        foreach (var option in new Option[] { only, exclude, root, hostKernel, timeout, filesTimeout, files, filesExclude, filesCrossMounts, cacheDirectory, noCache, noVerify, dockerHost })
        {
            command.Options.Add(option);
        }

        if (withImage)
        {
            command.Options.Add(image);
        }
    }

    /// <summary>Takes the snapshot these flags describe: of this host, of --root, or of --image's file system.</summary>
    public async Task<Snapshot> TakeAsync(ParseResult parseResult, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(image) is not { } name)
        {
            var (snapshotter, options) = Create(parseResult, loggers);
            return await snapshotter.TakeAsync(options, cancellationToken);
        }

        if (parseResult.GetResult(root) is { Implicit: false } || parseResult.GetValue(hostKernel))
        {
            throw new InfraDiffException("--image reads the image's own file system as the root: leave out --root and --host-kernel");
        }

        if (SplitList(parseResult.GetValue(only)).Contains("docker"))
        {
            throw new InfraDiffException("--image: an image has no Docker engine of its own; leave docker out of --only");
        }

        ContainerImageRoot unpacked;
        try
        {
            unpacked = await ContainerImageRoot.ExportAsync(name, new DockerCollectorOptions { Host = parseResult.GetValue(dockerHost) }, cancellationToken: cancellationToken);
        }
        catch (CollectorUnavailableException ex)
        {
            throw new InfraDiffException($"--image {name}: {ex.Message}");
        }

        await using (unpacked)
        {
            // Each unpacking makes new inodes, so the hash cache would only grow: an image is hashed afresh each time.
            var (snapshotter, options) = Create(parseResult, loggers, hostRoot: unpacked.Root, image: true);
            options = options with { Exclude = [.. options.Exclude, "docker"] };
            var snapshot = await snapshotter.TakeAsync(options, cancellationToken);
            return snapshot with { Metadata = snapshot.Metadata with { Host = $"image {name}" } };
        }
    }

    /// <summary>The snapshotter and options these flags describe; bad globs are rejected before anything is collected.</summary>
    public (Snapshotter Snapshotter, SnapshotOptions Options) Create(ParseResult parseResult, ILoggerFactory loggers, string? alsoExclude = null, string? hostRoot = null, bool image = false)
    {
        var excludes = FilesCollectorOptions.DefaultExcludes.Concat(parseResult.GetValue(filesExclude) ?? []).Concat(alsoExclude is null ? [] : [alsoExclude]).ToArray();
        foreach (var pattern in excludes)
        {
            try
            {
                _ = new PointerGlob(pattern);
            }
            catch (FormatException ex)
            {
                throw new InfraDiffException($"--files-exclude: {ex.Message}");
            }
        }

        hostRoot ??= parseResult.GetValue(root) ?? "/";
        if (!Directory.Exists(hostRoot))
        {
            throw new InfraDiffException($"--root {hostRoot}: no such directory");
        }

        var roots = parseResult.GetValue(files) is { Length: > 0 } given ? given.Select(p => CheckFilesRoot(p, hostRoot)).ToArray() : FilesCollectorOptions.DefaultRoots;
        var filesOptions = new FilesCollectorOptions
        {
            Roots = roots,
            Excludes = excludes,
            CacheDirectory = parseResult.GetRequiredValue(cacheDirectory),
            UseCache = !image && !parseResult.GetValue(noCache),
            VerifyPackages = !parseResult.GetValue(noVerify),
            CrossFilesystems = parseResult.GetValue(filesCrossMounts),
            Progress = Console.IsErrorRedirected || parseResult.GetValue(CommonOptions.Quiet) ? null : new HashProgressLine(),
        };
        var dockerOptions = new DockerCollectorOptions { Host = parseResult.GetValue(dockerHost), KeyDirectory = filesOptions.CacheDirectory };
        var snapshotter = new Snapshotter(BuiltInSections.CreateCollectors(files: filesOptions, docker: dockerOptions), logger: loggers.CreateLogger<Snapshotter>(), loggerFactory: loggers);
        var options = new SnapshotOptions
        {
            Only = SplitList(parseResult.GetValue(only)),
            Exclude = SplitList(parseResult.GetValue(exclude)),
            Root = hostRoot,
            LiveKernel = hostRoot != "/" && !image && (parseResult.GetValue(hostKernel) || Environment.GetEnvironmentVariable("INFRADIFF_HOST_KERNEL") == "1"),
            CollectorTimeout = parseResult.GetValue(timeout) is { } limit ? WatchSettings.Duration("--collector-timeout", limit) : new SnapshotOptions().CollectorTimeout,
        };
        if (parseResult.GetValue(filesTimeout) is { } filesLimit)
        {
            options = options with
            {
                CollectorTimeouts = new Dictionary<string, TimeSpan>(options.CollectorTimeouts, StringComparer.Ordinal) { ["files"] = WatchSettings.Duration("--files-timeout", filesLimit) },
            };
        }

        return (snapshotter, options);
    }

    /// <summary>A --files path is a host path: absolute, and present under --root (a path meant for this machine would silently scan nothing).</summary>
    private static string CheckFilesRoot(string path, string hostRoot)
    {
        var under = hostRoot == "/" ? "" : $" under --root {hostRoot}";
        if (!path.StartsWith('/'))
        {
            throw new InfraDiffException($"--files {path}: not an absolute path; give the path as the host sees it{(under.Length > 0 ? $" (read{under})" : "")}, e.g. /etc");
        }

        var files = new RootedFileSystem(hostRoot);
        var real = files.MapPath(path);
        if (files.ResolveDirectory(path) is null && !ExistsInRoot(files, path))
        {
            throw new InfraDiffException($"--files {path}: no such file or directory{under}{(under.Length > 0 ? $" (looked for {real})" : "")}");
        }

        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private static bool ExistsInRoot(RootedFileSystem files, string path)
    {
        try
        {
            using var handle = files.OpenFile(path);
            return handle is not null;
        }
        catch (Exception ex) when (ex is HostFileException or UnauthorizedAccessException)
        {
            // There, but not a regular file: the walk records what it is.
            return true;
        }
    }

    private static string[] SplitList(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
}
