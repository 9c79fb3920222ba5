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

    /// <summary>Exports <paramref name="image"/> from the engine the options name and unpacks it under <paramref name="temporaryDirectory"/> (default: the system's).</summary>
    /// <exception cref="InfraDiffException">No engine answers, the image is not on it, or its archive cannot be unpacked here (an entry leaving the root; not root, so owners cannot be kept).</exception>
    public static async Task<ContainerImageRoot> ExportAsync(string image, DockerCollectorOptions options, string? temporaryDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        ArgumentNullException.ThrowIfNull(options);
        using var client = await DockerCollector.ConnectAsync(options.Host, options.Timeout, cancellationToken).ConfigureAwait(false);
        ImageInspectResponse inspect;
        try
        {
            inspect = await client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InfraDiffException($"image {image}: no such image on the Docker engine");
        }

        var created = await client.Containers.CreateContainerAsync(
            new CreateContainerParameters
            {
                Image = inspect.ID,
                Cmd = ["infradiff-export-never-started"],
                NetworkDisabled = true,
                Labels = new Dictionary<string, string> { ["infradiff.export"] = "true" },
            },
            cancellationToken).ConfigureAwait(false);
        var root = temporaryDirectory is null
            ? Directory.CreateTempSubdirectory("infradiff-image-").FullName
            : Directory.CreateDirectory(Path.Join(temporaryDirectory, $"infradiff-image-{Guid.NewGuid():N}"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        try
        {
            var tar = new NoEmptyReads(await client.Containers.ExportContainerAsync(created.ID, cancellationToken).ConfigureAwait(false));
            await using (tar.ConfigureAwait(false))
            {
                await RootUnpacker.UnpackAsync(tar, root, cancellationToken).ConfigureAwait(false);
            }

            return new ContainerImageRoot(image, inspect.ID, root);
        }
        catch
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
        finally
        {
            await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
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
