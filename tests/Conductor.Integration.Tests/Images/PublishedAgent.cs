using System.Diagnostics;
using Conductor.Integration.Tests.Architecture;
using Conductor.TestSupport;

namespace Conductor.Integration.Tests.Images;

/// <summary>
/// The agent published once per test class exactly as Dockerfile.agent publishes it (its <c>dotnet publish</c>
/// arguments, with <c>-o /app</c> pointed at a temporary directory), and the image's ENTRYPOINT mapped onto it.
/// </summary>
public sealed class PublishedAgent : IAsyncLifetime
{
    // A self-contained, trimmed publish on a loaded 2-core machine (runtime packs, ILLink, ReadyToRun for CoreLib and Orleans).
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private const string ImageDirectory = "/app";
    private readonly TemporaryDirectory _output = new();

    public string Directory => _output.Path;

    /// <summary>The image's ENTRYPOINT with <c>/app</c> replaced by <see cref="Directory"/>.</summary>
    public IReadOnlyList<string> Entrypoint { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var dockerfile = Dockerfile.Load(Path.Combine(DependencyClosure.RepositoryRoot(), "Dockerfile.agent"));
        var arguments = dockerfile.PublishArguments.Single().ToList();
        var output = arguments.IndexOf("-o");
        if (output < 0 || output + 1 >= arguments.Count || arguments[output + 1] != ImageDirectory)
        {
            throw new InvalidOperationException($"Dockerfile.agent must publish with `-o {ImageDirectory}`; its arguments were: {string.Join(' ', arguments)}");
        }
        arguments[output + 1] = _output.Path;
        arguments.Insert(0, "publish");
        arguments.Add("-nologo");
        var (exitCode, log) = await RunAsync(arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{log}");
        }
        Entrypoint = dockerfile.Entrypoint
            .Select(word => word.StartsWith(ImageDirectory + "/", StringComparison.Ordinal) ? Path.Combine(_output.Path, word[(ImageDirectory.Length + 1)..]) : word)
            .ToArray();
    }

    public ValueTask DisposeAsync()
    {
        _output.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DependencyClosure.RepositoryRoot(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish within {PublishTimeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
