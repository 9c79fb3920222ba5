using InfraDiff.Sections.Files;

namespace InfraDiff.Cli.Rendering;

/// <summary>One self-overwriting progress line on a terminal's stderr while files are hashed.</summary>
internal sealed class HashProgressLine : IProgress<FileHashProgress>
{
    public void Report(FileHashProgress value)
    {
        var megabytes = value.Bytes / 1048576.0;
        var rate = value.Elapsed.TotalSeconds > 0 ? megabytes / value.Elapsed.TotalSeconds : 0;
        Console.Error.Write($"\rhashing: {value.Files:N0} files, {megabytes:N0} MiB, {rate:N0} MiB/s \u001b[K");
        if (value.Done)
        {
            Console.Error.WriteLine();
        }
    }
}
