using System.Diagnostics;
using System.Text.RegularExpressions;
using Conductor.TestSupport.Registry;

namespace Conductor.Bench.Compiler;

/// <summary>
/// Times whole processes, start to exit, in one run so every figure shares the machine's load: the hello-world floor,
/// <c>compiler launch</c>, <c>compiler bootstrap</c> of five nodes, <c>compiler packbuild</c> on a prebuilt input, and on the raw fixture pushing to a real
/// docker-registry on loopback. Runs interleave the scenarios so a load spike hits all of them alike.
/// </summary>
internal static partial class StartupBenchmark
{
    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter output)
    {
        await using var registry = await DockerRegistryProcess.StartAsync();
        var work = Directory.CreateTempSubdirectory("conductor-bench-").FullName;
        try
        {
            var prebuilt = Path.Combine(work, "prebuilt.yaml");
            await File.WriteAllTextAsync(prebuilt,
                $"name: my-pack\nversion: v1.2.3\nregistryUrl: 127.0.0.1:1/packs/my-pack\ndigest: sha256:{new string('a', 64)}\n");
            var raw = await PrepareRawFixtureAsync(settings.RepositoryRoot, work, registry.Address);
            var cluster = Path.Combine(work, "cluster.yaml");
            await File.WriteAllTextAsync(cluster, FiveNodeCluster.Input);

            var scenarios = new List<Scenario> { new("dotnet hello-world (floor)", "dotnet", [typeof(StartupBenchmark).Assembly.Location, "hello"]) };
            foreach (var (label, path) in settings.Compilers)
            {
                scenarios.Add(Compiler($"compiler launch [{label}]", path, i => ["launch", "--output", Path.Combine(work, $"launch-{label}-{i}")]));
                scenarios.Add(Compiler($"compiler packbuild prebuilt [{label}]", path, i => ["packbuild", "--input", prebuilt, "--output", Path.Combine(work, $"pre-{label}-{i}")]));
                scenarios.Add(Compiler($"compiler bootstrap 5 nodes [{label}]", path, i => ["bootstrap", "--input", cluster, "--output", Path.Combine(work, $"boot-{label}-{i}"), "--plaintext"]));
                scenarios.Add(Compiler($"compiler packbuild raw fixture + registry [{label}]", path, i => ["packbuild", "--input", raw, "--output", Path.Combine(work, $"raw-{label}-{i}")]));
            }

            // One untimed warm-up each: the first start pays for the disk cache, which a user's second run would not.
            foreach (var scenario in scenarios)
            {
                await scenario.RunOnceAsync(-1);
            }
            var timings = scenarios.ToDictionary(s => s, _ => new List<double>());
            for (var i = 0; i < settings.Runs; i++)
            {
                foreach (var scenario in scenarios)
                {
                    timings[scenario].Add(await scenario.RunOnceAsync(i));
                }
            }

            var floor = Median(timings[scenarios[0]]);
            await output.WriteLineAsync($"{settings.Runs} runs each, {Environment.ProcessorCount} cores, wall time from process start to exit (ms)");
            await output.WriteLineAsync($"{"scenario",-52} {"median",8} {"p95",8} {"median - floor",15}");
            foreach (var scenario in scenarios)
            {
                var median = Median(timings[scenario]);
                await output.WriteLineAsync($"{scenario.Name,-52} {median,8:F0} {Percentile(timings[scenario], 0.95),8:F0} {median - floor,15:F0}");
            }
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Scenario Compiler(string name, string path, Func<int, string[]> arguments)
    {
        var program = BenchProgram.At(path);
        return new Scenario(name, program.FileName, [.. program.LeadingArguments], arguments);
    }

    // The reference raw fixture, read from ../shared/fixtures, with its registry host pointed at ours and the
    // manifests of the compiler tests' raw-fixture-minio case beside it.
    private static async Task<string> PrepareRawFixtureAsync(string root, string work, string registry)
    {
        var fixture = Path.GetFullPath(Path.Combine(root, "..", "shared", "fixtures", "docs-configs-packbuild-raw.yaml"));
        var manifests = Path.Combine(root, "tests/Conductor.Compiler.Tests/testdata/packbuild/raw-fixture-minio/manifests/minio");
        var target = Path.Combine(work, "manifests", "minio");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(manifests))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        var input = Path.Combine(work, "docs-configs-packbuild-raw.yaml");
        await File.WriteAllTextAsync(input, RegistryHost().Replace(await File.ReadAllTextAsync(fixture), $"registryUrl: {registry}/"));
        return input;
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    [GeneratedRegex(@"(?m)^registryUrl: [^/\s]+/")]
    private static partial Regex RegistryHost();

    private sealed record Scenario(string Name, string FileName, string[] Prefix, Func<int, string[]>? Arguments = null)
    {
        public async Task<double> RunOnceAsync(int run)
        {
            var start = new ProcessStartInfo(FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in Prefix.Concat(Arguments?.Invoke(run) ?? []))
            {
                start.ArgumentList.Add(argument);
            }
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {FileName}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            await Task.WhenAll(stdout, stderr);
            return process.ExitCode == 0 ? elapsed
                : throw new InvalidOperationException($"{Name} exited with {process.ExitCode}: {await stderr}");
        }
    }
}
