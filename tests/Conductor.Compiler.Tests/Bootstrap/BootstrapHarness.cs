using System.Runtime.CompilerServices;
using Conductor.Compiler.Bootstrap;
using Conductor.Compiler.Talos.Pki;
using Conductor.TestSupport;
using Conductor.TestSupport.Randomness;
using Microsoft.Extensions.Time.Testing;

namespace Conductor.Compiler.Tests.Bootstrap;

/// <summary>The result of one <c>compiler bootstrap</c> run through its handler.</summary>
internal sealed record BootstrapResult(int ExitCode, string Stdout, string Stderr, string OutputDirectory)
{
    public IReadOnlyList<string> Files => Directory.Exists(OutputDirectory)
        ? [.. Directory.GetFiles(OutputDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)!]
        : [];

    public string Read(string name) => File.ReadAllText(Path.Combine(OutputDirectory, name));
}

/// <summary>
/// Runs <c>compiler bootstrap</c> through <c>Bootstrap.Handler</c> with a fake clock, a seeded random
/// source and a fixed RSA key, so the output is reproducible byte for byte.
/// </summary>
internal static class BootstrapHarness
{
    public static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static string TestData([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "testdata"));

    public static BootstrapServices Services(string workingDirectory, string seed = "bootstrap", Dictionary<string, string>? environment = null) =>
        new(new FakeTimeProvider(Now), new DeterministicRandomSource(seed), FixedRsaKey.Instance,
            name => environment?.GetValueOrDefault(name), workingDirectory);

    /// <summary>Writes <paramref name="input"/> to input.yaml in <paramref name="directory"/> and runs bootstrap into out/.</summary>
    public static async Task<BootstrapResult> RunAsync(
        TemporaryDirectory directory, string input, string[] extraArguments, BootstrapServices? services = null, string output = "out")
    {
        await File.WriteAllTextAsync(directory.File("input.yaml"), input, TestContext.Current.CancellationToken);
        return await RunFileAsync(directory.Path, "input.yaml", extraArguments, services ?? Services(directory.Path), output);
    }

    public static async Task<BootstrapResult> RunFileAsync(
        string workingDirectory, string inputPath, string[] extraArguments, BootstrapServices services, string output = "out")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parse = CompilerCommandLine.Build().Parse(["bootstrap", "--input", inputPath, "--output", output, .. extraArguments]);
        Assert.Empty(parse.Errors);
        var exit = await Conductor.Compiler.Commands.Bootstrap.Handler(stdout, stderr, parse, services, CancellationToken.None);
        return new BootstrapResult(exit, stdout.ToString(), stderr.ToString(), Path.GetFullPath(output, workingDirectory));
    }

    /// <summary>A committed RSA test key: a managed prime search driven by the seeded source would take seconds per test.</summary>
    private sealed class FixedRsaKey : IRsaKeyGenerator
    {
        public static readonly FixedRsaKey Instance = new();

        public string GeneratePkcs1Pem(int bits)
        {
            Assert.Equal(2048, bits);
            return File.ReadAllText(Path.Combine(TestData(), "bootstrap", "keys", "service-account-rsa2048.pem"));
        }
    }
}
