using System.Diagnostics;

namespace Conductor.TestSupport.Registry;

/// <summary>Runs Debian's <c>skopeo</c>, an OCI client independent of ours, to check what our client pushed.</summary>
public static class Skopeo
{
    /// <summary>Where Debian installs skopeo.</summary>
    public const string BinaryPath = "/usr/bin/skopeo";

    /// <summary>Runs skopeo with <paramref name="arguments"/>; a non-zero exit is an exception carrying stderr.</summary>
    public static async Task<byte[]> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(BinaryPath))
        {
            throw new InvalidOperationException(
                $"{BinaryPath} is missing: install it with 'apt-get install -y skopeo' (CI's .ci/run does)");
        }

        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await Task.WhenAll(copy, stderr, process.WaitForExitAsync(cancellationToken));
        return process.ExitCode == 0
            ? stdout.ToArray()
            : throw new InvalidOperationException(
                $"skopeo {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await stderr}");
    }

    /// <summary>The raw manifest bytes of <paramref name="reference"/> on a plain-http registry.</summary>
    public static Task<byte[]> InspectRawAsync(string reference, CancellationToken cancellationToken = default) =>
        RunAsync(["inspect", "--raw", "--tls-verify=false", "docker://" + reference], cancellationToken);

    /// <summary>Copies between transports (<c>docker://…</c>, <c>dir:…</c>) without TLS verification.</summary>
    public static Task<byte[]> CopyAsync(string source, string destination, CancellationToken cancellationToken = default) =>
        RunAsync(["copy", "--src-tls-verify=false", "--dest-tls-verify=false", source, destination], cancellationToken);
}
