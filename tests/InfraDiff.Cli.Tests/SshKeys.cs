using System.Diagnostics;

namespace InfraDiff.Cli.Tests;

/// <summary>Real OpenSSH keys for signature tests: made with ssh-keygen, allowed through an allowed_signers file.</summary>
internal static class SshKeys
{
    /// <summary>A new ed25519 key without passphrase at <paramref name="directory"/>/<paramref name="name"/> (and .pub).</summary>
    public static string Keygen(string directory, string name)
    {
        var key = Path.Join(directory, name);
        using var process = Process.Start("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key]);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return key;
    }

    /// <summary>An allowed_signers file in <paramref name="directory"/> that lets <paramref name="key"/> sign infradiff's namespace as <paramref name="principal"/>.</summary>
    public static string AllowedSigners(string directory, string key, string principal)
    {
        var path = Path.Join(directory, "allowed_signers");
        File.WriteAllText(path, $"{principal} namespaces=\"infradiff\" {File.ReadAllText(key + ".pub").Trim()}\n");
        return path;
    }
}
