using System.Diagnostics;

namespace Conductor.TestSupport.Processes;

/// <summary>The result of running a real peer binary (openssl, age, …).</summary>
public sealed record ToolResult(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
}

/// <summary>
/// Runs a Debian binary that our code must interoperate with. A missing binary fails the test with the install
/// command; it never skips.
/// </summary>
public static class ExternalTool
{
    /// <summary>Upper bound for one run, so a hung peer fails the test instead of hanging the suite.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<ToolResult> RunAsync(
        string tool, string aptPackage, IEnumerable<string> arguments, byte[]? stdin = null, string? workingDirectory = null)
    {
        var path = Find(tool) ?? throw new InvalidOperationException(
            $"'{tool}' is not on PATH; these tests interoperate with the real binary: run `apt-get install -y {aptPackage}`");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, timeout.Token);
        var readErr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading all its input (for example it rejected an argument); its exit code says why.
        }
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await copyOut;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', start.ArgumentList)} did not finish within {Timeout}");
        }
        return new ToolResult(process.ExitCode, stdout.ToArray(), await readErr);
    }

    private static string? Find(string tool)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
