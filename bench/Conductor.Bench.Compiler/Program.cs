using System.Diagnostics;
using System.Globalization;

// `--hello` makes this program the baseline: a bare dotnet process that starts, prints and exits.
if (args is ["--hello"])
{
    Console.WriteLine("hello");
    return 0;
}

var iterations = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 10;
var here = AppContext.BaseDirectory;
var compiler = Path.Combine(here, "compiler.dll");
var self = Path.Combine(here, "Conductor.Bench.Compiler.dll");
var work = Directory.CreateTempSubdirectory("conductor-bench-").FullName;
try
{
    var input = Path.Combine(work, "cluster.yaml");
    await File.WriteAllTextAsync(input, FiveNodeCluster.Input);

    // One warm-up run of each, so the first-ever disk reads are not counted.
    await RunAsync(self, ["--hello"]);
    await RunAsync(compiler, ["bootstrap", "--input", input, "--output", Path.Combine(work, "warmup"), "--plaintext"]);

    var hello = new List<double>();
    var bootstrap = new List<double>();
    for (var i = 0; i < iterations; i++)
    {
        // Interleaved, so both see the same machine load.
        hello.Add(await RunAsync(self, ["--hello"]));
        bootstrap.Add(await RunAsync(compiler, ["bootstrap", "--input", input, "--output", Path.Combine(work, $"out{i}"), "--plaintext"]));
    }
    Report("dotnet hello-world", hello);
    Report("compiler bootstrap (5 nodes)", bootstrap);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"bootstrap minus hello-world (medians): {Median(bootstrap) - Median(hello):F0} ms; target: bootstrap <= 1000 ms"));
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static async Task<double> RunAsync(string dll, string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    start.ArgumentList.Add(dll);
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var elapsed = clock.Elapsed.TotalMilliseconds;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"dotnet {dll} {string.Join(' ', arguments)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
    return elapsed;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Report(string name, List<double> values) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-30} n={values.Count} min={values.Min():F0} ms median={Median(values):F0} ms max={values.Max():F0} ms"));

internal static class FiveNodeCluster
{
    public const string Input =
        """
        name: bench
        mode: bootstrap
        role: management
        ciliumPrerequisites: true
        registryMirrors:
        - registry: docker.io
          endpoints: [http://10.20.0.1:5000]
        bootstrap:
          controlPlaneEndpoint: https://10.20.0.10:6443
          talosVersion: v1.9.3
          nodes:
          - {hostname: bench-cp1, ip: 10.20.0.11, role: init}
          - {hostname: bench-cp2, ip: 10.20.0.12, role: controlplane}
          - {hostname: bench-cp3, ip: 10.20.0.13, role: controlplane}
          - {hostname: bench-w1, ip: 10.20.0.21, role: worker}
          - {hostname: bench-w2, ip: 10.20.0.22, role: worker}
        """;
}
