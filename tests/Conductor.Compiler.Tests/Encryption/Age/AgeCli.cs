using Conductor.TestSupport.Processes;

namespace Conductor.Compiler.Tests.Encryption.Age;

/// <summary>Debian's age 1.1.1 binaries, the interop peer for our age implementation.</summary>
internal static class AgeCli
{
    public static async Task<byte[]> RunAsync(string tool, byte[]? stdin, params string[] arguments)
    {
        var result = await ExternalTool.RunAsync(tool, "age", arguments, stdin);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
        return result.Stdout;
    }

    public static Task<ToolResult> TryAsync(string tool, byte[]? stdin, params string[] arguments) =>
        ExternalTool.RunAsync(tool, "age", arguments, stdin);

    /// <summary>Makes an identity file with age-keygen and returns its path and recipient.</summary>
    public static async Task<(string KeyFile, string Recipient)> KeygenAsync(string directory, string name)
    {
        var keyFile = Path.Combine(directory, name);
        await RunAsync("age-keygen", null, "-o", keyFile);
        var recipient = System.Text.Encoding.ASCII.GetString(await RunAsync("age-keygen", null, "-y", keyFile)).Trim();
        return (keyFile, recipient);
    }
}
