using Conductor.TestSupport.Processes;

namespace Conductor.Interfaces.Tests.Signing;

/// <summary>The real OpenSSL 3 binary, our interop peer for Ed25519 keys and signatures.</summary>
internal static class OpenSsl
{
    public static async Task<ToolResult> RunAsync(params string[] arguments)
    {
        var result = await ExternalTool.RunAsync("openssl", "openssl", arguments);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr}");
        return result;
    }

    public static Task<ToolResult> TryAsync(params string[] arguments) => ExternalTool.RunAsync("openssl", "openssl", arguments);
}
