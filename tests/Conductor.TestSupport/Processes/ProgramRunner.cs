using System.Diagnostics;

namespace Conductor.TestSupport.Processes;

/// <summary>
/// Runs one of our built programs (<c>conductor</c>, <c>conductor-execute</c>, <c>compiler</c>) as a real process with
/// <c>dotnet {assembly}.dll</c>. The test project references the program's project, so the assembly and its
/// runtimeconfig sit beside the test assembly.
/// </summary>
public static class ProgramRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Environment variables every run clears unless the caller sets them, so a developer's shell (say, an exported
    /// CONDUCTOR_ROLE) cannot change what a test observes.
    /// </summary>
    public static readonly IReadOnlyList<string> ScrubbedVariables =
    [
        "CONDUCTOR_MODE", "CONDUCTOR_ROLE", "CAPABILITY", "CLUSTER_REF", "STEP_NAME", "STEP_PARAMETERS",
        "RESULT_CONFIGMAP", "POD_NAMESPACE", "TARGET_KUBECONFIG", "TALOSCONFIG", "INTERNAL_PORT", "SILO_PORT", "GATEWAY_PORT",
    ];

    /// <summary>
    /// Runs <paramref name="assemblyName"/> with <paramref name="args"/>; <paramref name="environment"/> sets
    /// variables (a null value removes one). Fails the test when the program outlives <paramref name="timeout"/>.
    /// </summary>
    public static async Task<ProgramResult> RunAsync(
        string assemblyName,
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var start = CreateStartInfo(assemblyName, args, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start dotnet {assemblyName}.dll");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{assemblyName} did not exit within {timeout ?? DefaultTimeout}; it was killed");
        }
        return new ProgramResult(process.ExitCode, (await stdout).ReplaceLineEndings("\n"), (await stderr).ReplaceLineEndings("\n"));
    }

    /// <summary>The start info for <c>dotnet {assemblyName}.dll</c> with a scrubbed, then overridden, environment.</summary>
    public static ProcessStartInfo CreateStartInfo(
        string assemblyName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(LocateAssembly(assemblyName));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in ScrubbedVariables)
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        return start;
    }

    /// <summary>The path of <c>{assemblyName}.dll</c> beside the running test assembly.</summary>
    public static string LocateAssembly(string assemblyName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        if (!File.Exists(path) || !File.Exists(Path.Combine(AppContext.BaseDirectory, assemblyName + ".runtimeconfig.json")))
        {
            throw new FileNotFoundException(
                $"{assemblyName}.dll and its runtimeconfig.json must be next to the test assembly in {AppContext.BaseDirectory}; " +
                "add a ProjectReference to the program's project in the test project.", path);
        }
        return path;
    }
}
