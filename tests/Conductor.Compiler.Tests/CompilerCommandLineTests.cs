namespace Conductor.Compiler.Tests;

public sealed class CompilerCommandLineTests
{
    [Fact]
    public async Task InvokeAsync_Domain_SaysReservedAndExits1()
    {
        var (exitCode, _, stderr) = await RunAsync("domain");

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains("reserved", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NoVerb_UsageErrorWithHelp()
    {
        var (exitCode, stdout, _) = await RunAsync();

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("launch", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_MistypedVerb_UsageErrorWithSuggestion()
    {
        var (exitCode, stdout, stderr) = await RunAsync("lanch");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("'lanch' was not matched. Did you mean", stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_Help_ListsSevenVerbsWithExamplesAndExits0()
    {
        var (exitCode, stdout, _) = await RunAsync("--help");

        Assert.Equal(ExitCodes.Success, exitCode);
        foreach (var verb in new[] { "bootstrap", "launch", "enable", "packbuild", "maintenance", "component", "domain" })
        {
            Assert.Contains("  " + verb + " ", stdout, StringComparison.Ordinal);
        }
        Assert.Contains("compiler launch --output ./launch", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CompilerCommandLine.InvokeAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
