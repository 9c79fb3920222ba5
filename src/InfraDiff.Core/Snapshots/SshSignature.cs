using CliWrap;
using CliWrap.Buffered;
using InfraDiff.Host;

namespace InfraDiff.Snapshots;

/// <summary>
/// Signs and verifies snapshot files with OpenSSH's own signatures (<c>ssh-keygen -Y sign</c> / <c>-Y verify</c>,
/// namespace "infradiff"), so a baseline committed to git is checked with keys and tools people already use. The
/// signature sits beside the file as FILE.sig.
/// </summary>
public static class SshSignature
{
    /// <summary>The signature namespace: a signature made for something else never verifies as a snapshot's.</summary>
    public const string Namespace = "infradiff";

    /// <summary>Signs <paramref name="path"/> with the private key <paramref name="keyPath"/>, writing <paramref name="path"/>.sig.</summary>
    /// <exception cref="InfraDiffException">ssh-keygen is missing or refused.</exception>
    public static async Task SignAsync(string path, string keyPath, CancellationToken cancellationToken = default)
    {
        File.Delete(path + ".sig");
        var result = await Run(["-Y", "sign", "-f", keyPath, "-n", Namespace, path], null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(path + ".sig"))
        {
            throw new InfraDiffException($"{path}: not signed: {FirstLine(result.StandardError)}");
        }

        File.SetUnixFileMode(path + ".sig", AtomicFile.OwnerOnly);
    }

    /// <summary>Checks <paramref name="path"/>.sig against <paramref name="allowedSigners"/> (ssh-keygen's allowed_signers format) and returns the signer.</summary>
    /// <exception cref="InfraDiffException">No signature, a signature no allowed signer made, or a file changed since it was signed.</exception>
    public static async Task<string> VerifyAsync(string path, string allowedSigners, CancellationToken cancellationToken = default)
    {
        var signature = path + ".sig";
        if (!File.Exists(signature))
        {
            throw new InfraDiffException($"{path}: no signature ({Path.GetFileName(signature)}) although the allowed signers require one");
        }

        var principals = await Run(["-Y", "find-principals", "-s", signature, "-f", allowedSigners], null, cancellationToken).ConfigureAwait(false);
        var principal = principals.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (principals.ExitCode != 0 || principal is null)
        {
            throw new InfraDiffException($"{path}: signed by a key {allowedSigners} does not allow");
        }

        var verified = await Run(["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", Namespace, "-s", signature], path, cancellationToken).ConfigureAwait(false);
        return verified.ExitCode == 0
            ? principal
            : throw new InfraDiffException($"{path}: the signature does not match (changed since it was signed): {FirstLine(verified.StandardError + verified.StandardOutput)}");
    }

    private static async Task<BufferedCommandResult> Run(IReadOnlyList<string> arguments, string? input, CancellationToken cancellationToken)
    {
        try
        {
            var command = Cli.Wrap("ssh-keygen").WithArguments(arguments).WithValidation(CommandResultValidation.None);
            if (input is not null)
            {
                command = command.WithStandardInputPipe(PipeSource.FromFile(input));
            }

            return await command.ExecuteBufferedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InfraDiffException("ssh-keygen: command not found (install OpenSSH's client)", ex);
        }
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0];
}
