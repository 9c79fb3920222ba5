using Docker.DotNet;
using Docker.DotNet.Models;
using InfraDiff.Host;
using InfraDiff.Pipeline;

namespace InfraDiff.Sections.Docker;

/// <summary>
/// A container image's file system, unpacked into a private temporary folder so a snapshot can read it as
/// <see cref="SnapshotOptions.Root"/>. It comes through the Docker Engine API: a container is created from the image
/// (never started, no network), exported, and removed. Disposing removes the folder.
/// </summary>
public sealed class ContainerImageRoot : IAsyncDisposable
{
    private ContainerImageRoot(string image, string id, string root)
    {
        Image = image;
        Id = id;
        Root = root;
    }

    /// <summary>The image as it was asked for (a name, a name:tag, an ID).</summary>
    public string Image { get; }

    /// <summary>The image's ID on the engine (sha256:…).</summary>
    public string Id { get; }

    /// <summary>The folder that holds the image's file system.</summary>
    public string Root { get; }

    /// <summary>
    /// Exports <paramref name="image"/> from the engine the options name and unpacks it under <paramref
    /// name="temporaryDirectory"/> (default: the system's), within <see cref="DockerCollectorOptions.ExportTimeout"/>.
    /// The container made for the export is removed however it ends (done, timed out, cancelled, failed).
    /// </summary>
    /// <exception cref="InfraDiffException">
    /// No engine answers, the image is not on it, the export took longer than its limit, its archive is malformed or
    /// cannot be unpacked here (an entry leaving the root; not root, so owners cannot be kept), or the export's
    /// container could not be removed (the message names it).
    /// </exception>
    public static async Task<ContainerImageRoot> ExportAsync(string image, DockerCollectorOptions options, string? temporaryDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        ArgumentNullException.ThrowIfNull(options);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(options.ExportTimeout);
        using var client = await DockerCollector.ConnectAsync(options.Host, options.Timeout, limit.Token).ConfigureAwait(false);
        var root = temporaryDirectory is null
            ? Directory.CreateTempSubdirectory("infradiff-image-").FullName
            : Directory.CreateDirectory(Path.Join(temporaryDirectory, $"infradiff-image-{Guid.NewGuid():N}"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        string? container = null;
        try
        {
            var id = await ImageIdAsync(client, image, limit.Token).ConfigureAwait(false);
            container = (await client.Containers.CreateContainerAsync(
                new CreateContainerParameters
                {
                    Image = id,
                    Cmd = ["infradiff-export-never-started"],
                    NetworkDisabled = true,
                    Labels = new Dictionary<string, string> { ["infradiff.export"] = "true" },
                },
                limit.Token).ConfigureAwait(false)).ID;
            var tar = new NoEmptyReads(await client.Containers.ExportContainerAsync(container, limit.Token).ConfigureAwait(false));
            await using (tar.ConfigureAwait(false))
            {
                // A read the engine never answers may not heed the token: closing the stream ends it.
                using var closeOnLimit = limit.Token.Register(tar.Dispose);
                await RootUnpacker.UnpackAsync(tar, root, limit.Token).ConfigureAwait(false);
            }

            var left = await TryRemoveAsync(options, container).ConfigureAwait(false);
            container = null;
            return left is null ? new ContainerImageRoot(image, id, root) : throw new InfraDiffException($"image {image}: {left}");
        }
        catch (Exception ex)
        {
            Directory.Delete(root, recursive: true);
            var failure = ex switch
            {
                _ when limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested =>
                    new InfraDiffException($"image {image}: the export took longer than {Validation.OptionChecks.Seconds(options.ExportTimeout)} (the engine stalled, or the image needs a longer --image-timeout)", ex),
                EndOfStreamException => new InfraDiffException($"image {image}: its export ended mid-archive (the engine closed the stream)", ex),
                DockerApiException or HttpRequestException or IOException or InvalidDataException or FormatException or ObjectDisposedException or ArgumentException =>
                    new InfraDiffException($"image {image}: its export could not be unpacked: {Excerpt.Cut(HostText.Clean(ex.Message.Split('\n')[0]), 200)}", ex),
                _ => ex,
            };
            if (container is not null && await TryRemoveAsync(options, container).ConfigureAwait(false) is { } left)
            {
                throw new InfraDiffException($"{failure.Message}; {left}", failure);
            }

            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    private static async Task<string> ImageIdAsync(DockerClient client, string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false)).ID;
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InfraDiffException($"image {image}: no such image on the Docker engine");
        }
    }

    /// <summary>
    /// Removes the container within 30 seconds of its own (the export's limit may be spent), through a client of its
    /// own (the export's may hold a stalled connection); null when removed, else what was left and how to remove it.
    /// </summary>
    private static async Task<string?> TryRemoveAsync(DockerCollectorOptions options, string container)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var client = await DockerCollector.ConnectAsync(options.Host, options.Timeout, limit.Token).ConfigureAwait(false);
            await client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException or InfraDiffException)
        {
            var id = container[..Math.Min(12, container.Length)];
            var why = ex is OperationCanceledException ? "the engine did not answer within 30 s" : Excerpt.Cut(HostText.Clean(ex.Message.Split('\n')[0]), 120);
            return $"its export container {id} could not be removed ({why}): remove it with docker rm -f {id}";
        }
    }

    /// <summary>
    /// The Docker client's chunked response stream fails a read of zero bytes (it reads zero from the socket and takes
    /// that for a cut connection); the tar reader makes one at the end of each file. Such a read returns 0 here.
    /// </summary>
    private sealed class NoEmptyReads(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => count == 0 ? 0 : inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            buffer.IsEmpty ? ValueTask.FromResult(0) : inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            count == 0 ? Task.FromResult(0) : inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Removes the unpacked folder.</summary>
    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
