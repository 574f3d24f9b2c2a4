using Conductor.Randomness;

namespace Conductor.Compiler.Tests.Commands;

/// <summary>Runs the compiler's command line in-process and captures its exit code and output.</summary>
internal sealed record CommandRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<CommandRun> InvokeAsync(IRandomSource? random, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CompilerCommandLine.InvokeAsync(args, stdout, stderr, TestContext.Current.CancellationToken, random);
        return new CommandRun(code, stdout.ToString(), stderr.ToString());
    }
}
