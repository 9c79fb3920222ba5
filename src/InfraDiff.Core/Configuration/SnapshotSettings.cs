using InfraDiff.Host;
using InfraDiff.Pipeline;
using InfraDiff.Sections.Docker;
using InfraDiff.Sections.Files;
using InfraDiff.Snapshots;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace InfraDiff.Configuration;

/// <summary>
/// What a snapshot collects and from where (the "snapshot" keys of <see cref="SettingsLayers"/>), checked before anything
/// is collected or written: the sections, the root (or a container image), the collectors' limits, the files roots,
/// excludes and caches, the Docker engine.
/// </summary>
public sealed class SnapshotSettings
{
    /// <summary>The section of the settings these come from.</summary>
    public const string Section = "snapshot";

    /// <summary>The keys of the section, as infradiff.json and the flags name them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["only", "exclude", "root", "hostKernel", "image", "collectorTimeout", "filesTimeout", "files", "filesExclude", "filesCrossMounts", "cacheDir", "noCache", "noVerify", "dockerHost", "imageTimeout", "maxReadRate", "threads", "nice", "ioClass", "maxMemory"];

    /// <summary>The settings each Core option was bound from, as they were given: a Core error about one is told about the other.</summary>
    private readonly Dictionary<string, string> sources;

    private SnapshotSettings(SnapshotOptions options, FilesCollectorOptions files, DockerCollectorOptions docker, string? image, Dictionary<string, string> sources)
    {
        Options = options;
        Files = files;
        Docker = docker;
        Image = image;
        this.sources = sources;
    }

    /// <summary>Which collectors run, against which root, for how long.</summary>
    public SnapshotOptions Options { get; }

    /// <summary>What the files collector scans.</summary>
    public FilesCollectorOptions Files { get; }

    /// <summary>Which Docker engine is asked.</summary>
    public DockerCollectorOptions Docker { get; }

    /// <summary>A container image to snapshot instead of the host, when set.</summary>
    public string? Image { get; }

    /// <summary>What the process may take from the host: applied when a snapshotter is made (<see cref="CreateSnapshotter"/>).</summary>
    public ResourceCaps Caps { get; private init; } = new();

    /// <summary>Reads and checks the "snapshot" keys of <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOptionException">A setting is invalid; the message names it as it was given.</exception>
    public static SnapshotSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var read = new SettingReader(configuration, Section);
        var only = Sections(read, "only");
        var exclude = Sections(read, "exclude");
        if (only.Count > 0 && only.All(exclude.Contains))
        {
            throw new InvalidOptionException($"{read.Source("only")} {string.Join(',', only)}", $"{read.Source("exclude")} leaves out every section it names: the snapshot would be empty");
        }

        var image = read.Text("image");
        var root = read.Text("root") ?? "/";
        var hostKernel = read.Flag("hostKernel") ?? false;
        if (image is not null && (root != "/" || hostKernel))
        {
            throw new InvalidOptionException(read.Source("image"), "reads the image's own file system as the root: leave out --root and --host-kernel");
        }

        if (image is not null && only.Contains(DockerSection.SectionName))
        {
            throw new InvalidOptionException(read.Source("image"), "an image has no Docker engine of its own; leave docker out of --only");
        }

        if (!Directory.Exists(root))
        {
            throw new InvalidOptionException($"{read.Source("root")} {root}", "no such directory");
        }

        var excludes = FilesCollectorOptions.DefaultExcludes.Concat(read.List("filesExclude")).ToArray();
        foreach (var pattern in excludes)
        {
            try
            {
                _ = new PointerGlob(pattern);
            }
            catch (FormatException ex)
            {
                throw new InvalidOptionException(read.Source("filesExclude"), ex.Message);
            }
        }

        var filesRoots = read.List("files") is { Count: > 0 } given ? [.. given.Select(p => FilesRoot(read, p, root))] : FilesCollectorOptions.DefaultRoots;
        var options = new SnapshotOptions
        {
            Only = only,
            Exclude = image is null ? exclude : [.. exclude.Append(DockerSection.SectionName).Distinct()],
            Root = root,
            LiveKernel = root != "/" && hostKernel,
            CollectorTimeout = read.Duration("collectorTimeout") ?? new SnapshotOptions().CollectorTimeout,
        };
        if (read.Duration("filesTimeout") is { } filesLimit)
        {
            options.CollectorTimeouts = new Dictionary<string, TimeSpan>(options.CollectorTimeouts, StringComparer.Ordinal) { [FilesSection.SectionName] = filesLimit };
        }

        var files = new FilesCollectorOptions
        {
            Roots = filesRoots,
            Excludes = excludes,
            CacheDirectory = read.Text("cacheDir") ?? CacheDirectory.Default(),
            // Each unpacking makes new inodes, so the hash cache would only grow: an image is hashed afresh each time.
            UseCache = image is null && read.Flag("noCache") != true,
            VerifyPackages = read.Flag("noVerify") != true,
            CrossFilesystems = read.Flag("filesCrossMounts") ?? false,
            MaxReadRate = read.Size("maxReadRate"),
            Threads = read.Count("threads"),
        };
        int? nice = null;
        if (read.Text("nice") is { } niceText)
        {
            nice = int.TryParse(niceText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lowered) && lowered <= 19 ? lowered
                : throw new InvalidOptionException(read.Source("nice"), $"must be from 0 to 19 (a scan only ever lowers its priority), not '{Excerpt.Cut(niceText)}'");
        }

        if (read.Size("maxMemory") is < 64L << 20)
        {
            throw new InvalidOptionException(read.Source("maxMemory"), "must be at least 64M");
        }
        var sources = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["SnapshotOptions.Root"] = read.Source("root"),
            ["SnapshotOptions.LiveKernel"] = read.Source("hostKernel"),
            ["SnapshotOptions.CollectorTimeout"] = read.Source("collectorTimeout"),
            [$"SnapshotOptions.CollectorTimeouts[{FilesSection.SectionName}]"] = read.Source("filesTimeout"),
            ["FilesCollectorOptions.Roots"] = read.Source("files"),
            ["FilesCollectorOptions.Excludes"] = read.Source("filesExclude"),
            ["FilesCollectorOptions.CacheDirectory"] = read.Source("cacheDir"),
            ["FilesCollectorOptions.MaxReadRate"] = read.Source("maxReadRate"),
            ["FilesCollectorOptions.Threads"] = read.Source("threads"),
            ["DockerCollectorOptions.Host"] = read.Source("dockerHost"),
            ["DockerCollectorOptions.ExportTimeout"] = read.Source("imageTimeout"),
        };
        var settings = new SnapshotSettings(options, files, new DockerCollectorOptions { Host = read.Text("dockerHost"), KeyDirectory = files.CacheDirectory, ExportTimeout = read.Duration("imageTimeout") ?? new DockerCollectorOptions().ExportTimeout }, image, sources)
        {
            Caps = new ResourceCaps { Nice = nice, IoClass = read.Choice("ioClass", ResourceCaps.IoClasses), MaxMemory = read.Size("maxMemory") },
        };
        settings.Told(() =>
        {
            options.Validate();
            files.Validate();
            settings.Docker.Validate();
        });
        return settings;
    }

    /// <summary>The snapshotter these settings describe, over the built-in collectors.</summary>
    /// <param name="loggers">Where the snapshotter and each collector log.</param>
    /// <param name="progress">Told how hashing goes, when given.</param>
    /// <param name="alsoExclude">A path the files section also leaves out (a watcher's own store).</param>
    public Snapshotter CreateSnapshotter(ILoggerFactory loggers, IProgress<FileHashProgress>? progress = null, string? alsoExclude = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);

        // Before the first collector runs: its threads inherit what this one has.
        Caps.Apply();
        var files = Files with { Progress = progress, Excludes = alsoExclude is null ? Files.Excludes : [.. Files.Excludes, alsoExclude] };
        return new Snapshotter(BuiltInSections.CreateCollectors(files: files, docker: Docker), logger: loggers.CreateLogger<Snapshotter>(), loggerFactory: loggers);
    }

    /// <summary>Runs <paramref name="action"/>, a Core error about an option told about the setting it was bound from ("--host-kernel: needs …").</summary>
    public T Told<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (InvalidOptionException ex) when (sources.TryGetValue(ex.Option, out var source))
        {
            throw new InvalidOptionException(source, ex.Problem);
        }
    }

    private void Told(Action action) => Told(() =>
    {
        action();
        return 0;
    });

    /// <summary>Takes the snapshot these settings describe: of this host, of the root, or of the image's file system (exported through the Docker engine, unpacked, read, removed).</summary>
    /// <exception cref="InfraDiffException">The image cannot be exported (no engine, no such image) or the options are invalid.</exception>
    public async Task<Snapshot> TakeAsync(ILoggerFactory loggers, IProgress<FileHashProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var snapshotter = CreateSnapshotter(loggers, progress);
        if (Image is not { } image)
        {
            try
            {
                return await snapshotter.TakeAsync(Options, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOptionException ex) when (sources.TryGetValue(ex.Option, out var source))
            {
                throw new InvalidOptionException(source, ex.Problem);
            }
        }

        var unpacked = await ContainerImageRoot.ExportAsync(image, Docker, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (unpacked.ConfigureAwait(false))
        {
            var snapshot = await snapshotter.TakeAsync(Options with { Root = unpacked.Root }, cancellationToken).ConfigureAwait(false);
            return snapshot with { Metadata = snapshot.Metadata with { Host = $"image {image}" } };
        }
    }

    private static IReadOnlyList<string> Sections(SettingReader read, string key)
    {
        var names = read.List(key);
        if (names.FirstOrDefault(n => !BuiltInSections.Names.Contains(n)) is { } unknown)
        {
            throw new InvalidOptionException(read.Source(key), $"unknown section '{Excerpt.Cut(unknown)}' (known: {string.Join(", ", BuiltInSections.Names.Order(StringComparer.Ordinal))})");
        }

        return names;
    }

    /// <summary>A files root is a host path: absolute, and present under the root (a path meant for this machine would silently scan nothing).</summary>
    private static string FilesRoot(SettingReader read, string path, string hostRoot)
    {
        var under = hostRoot == "/" ? "" : $" under {read.Source("root")} {hostRoot}";
        if (!path.StartsWith('/'))
        {
            throw new InvalidOptionException($"{read.Source("files")} {path}", $"not an absolute path; give the path as the host sees it{(under.Length > 0 ? $" (read{under})" : "")}, e.g. /etc");
        }

        var files = new RootedFileSystem(hostRoot);
        if (files.ResolveDirectory(path) is null && !ExistsInRoot(files, path))
        {
            throw new InvalidOptionException($"{read.Source("files")} {path}", $"no such file or directory{under}{(under.Length > 0 ? $" (looked for {files.MapPath(path)})" : "")}");
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
}
