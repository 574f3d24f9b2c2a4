using Conductor.Compiler.Commands;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>
/// Runs <see cref="PackBuild.Handler"/> with its own environment (HOME points at an empty directory unless the test
/// sets it, so the machine's Docker config never leaks in) and captures the exit code and output.
/// </summary>
internal sealed record PackBuildRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<PackBuildRun> InvokeAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string stdin = "")
    {
        var home = Directory.CreateTempSubdirectory("conductor-home-").FullName;
        try
        {
            var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            variables.TryAdd("HOME", home);
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var parseResult = PackBuild.Command.Parse(args);
            Assert.Empty(parseResult.Errors);
            var code = await PackBuild.Handler(stdout, stderr, parseResult, name => variables.GetValueOrDefault(name),
                new StringReader(stdin), TestContext.Current.CancellationToken);
            return new PackBuildRun(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    public static Task<PackBuildRun> InvokeAsync(string input, string output, params string[] more) =>
        InvokeAsync(["--input", input, "--output", output, .. more]);
}
