namespace Conductor.Bench.Agent;

/// <summary>
/// The environment Dockerfile.agent's final stage sets (its <c>ENV</c> lines), so the bench runs the agent, and the
/// baseline app, as the image would. The bench's own settings (ports, role) are applied after these and win.
/// </summary>
internal static class DockerfileEnvironment
{
    public static IReadOnlyDictionary<string, string> Read(string dockerfile)
    {
        var lines = File.ReadAllLines(dockerfile);
        var finalStage = Array.FindLastIndex(lines, l => l.TrimStart().StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(finalStage + 1).Select(l => l.Trim()))
        {
            if (!line.StartsWith("ENV ", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (var pair in line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    throw new FormatException($"{dockerfile}: `{line}`: the bench reads ENV only in its KEY=VALUE form");
                }
                environment[pair[..at]] = pair[(at + 1)..];
            }
        }
        return environment;
    }
}
