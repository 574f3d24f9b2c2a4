using System.Diagnostics;
using System.Globalization;

namespace Conductor.Bench.Governance;

/// <summary>
/// Drives an HTTPS endpoint at a fixed rate with wrk (Debian's wrk has no rate flag, so a Lua delay() paces each
/// connection: connections × 1000 / delayMs = requests/s) and reads p50/p99 from wrk's own histogram.
/// </summary>
internal static class WebhookLatencyBenchmark
{
    public const int Connections = 10;
    public const int RatePerSecond = 500;

    public static async Task<(double P50Ms, double P99Ms, double RequestsPerSecond, string Raw)> RunAsync(
        Uri url, string body, TimeSpan duration, string directory)
    {
        var delayMs = Connections * 1000 / RatePerSecond;
        var script = Path.Combine(directory, $"post-{Guid.NewGuid():N}.lua");
        var escaped = body.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(script, $$"""
            wrk.method = "POST"
            wrk.body = "{{escaped}}"
            wrk.headers["Content-Type"] = "application/json"
            function delay() return {{delayMs}} end
            done = function(summary, latency, requests)
              io.write(string.format("RESULT p50_us=%d p99_us=%d requests=%d duration_us=%d errors=%d\n",
                latency:percentile(50), latency:percentile(99), summary.requests, summary.duration,
                summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
            end
            """);
        var start = new ProcessStartInfo("wrk",
            ["-t2", $"-c{Connections}", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start: install it with `apt-get install -y wrk`.");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk printed no RESULT line (exit {process.ExitCode}): {output}{error}");
        var fields = line["RESULT ".Length..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));
        if (fields["errors"] > 0)
        {
            throw new InvalidOperationException($"wrk saw {fields["errors"]} errors against {url}: {output}");
        }
        return (fields["p50_us"] / 1000, fields["p99_us"] / 1000, fields["requests"] / (fields["duration_us"] / 1_000_000), output);
    }
}
