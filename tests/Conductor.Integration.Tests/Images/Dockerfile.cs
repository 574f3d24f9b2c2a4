using System.Text.Json;
using System.Text.RegularExpressions;

namespace Conductor.Integration.Tests.Images;

/// <summary>
/// The instructions of one Dockerfile, parsed enough to check its structure without a Docker engine: stages (FROM),
/// the final USER and ENTRYPOINT, the directories COPY'd from the build context and the projects it publishes (with
/// the arguments of each <c>dotnet publish</c>, so a test can publish exactly as the image does).
/// </summary>
internal sealed partial record Dockerfile(
    string Name,
    IReadOnlyList<string> Bases,
    string? FinalUser,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> ContextCopies,
    IReadOnlyList<string> PublishedProjects,
    IReadOnlyList<IReadOnlyList<string>> PublishArguments,
    IReadOnlyList<string> FinalStageRuns)
{
    public string FinalBase => Bases[^1];

    public static Dockerfile Load(string path)
    {
        var bases = new List<string>();
        var copies = new List<string>();
        var published = new List<string>();
        var publishArguments = new List<IReadOnlyList<string>>();
        var finalRuns = new List<string>();
        string? user = null;
        IReadOnlyList<string> entrypoint = [];
        foreach (var (keyword, argument) in Instructions(File.ReadAllText(path)))
        {
            switch (keyword)
            {
                case "FROM":
                    bases.Add(argument.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
                    user = null;
                    finalRuns.Clear();
                    break;
                case "USER":
                    user = argument.Trim();
                    break;
                case "ENTRYPOINT":
                    entrypoint = JsonSerializer.Deserialize<string[]>(argument)
                        ?? throw new FormatException($"{path}: ENTRYPOINT must be an exec-form JSON array, was '{argument}'");
                    break;
                case "COPY" when !argument.Contains("--from=", StringComparison.Ordinal):
                    var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                    copies.AddRange(parts[..^1]);
                    break;
                case "RUN":
                    finalRuns.Add(argument);
                    foreach (var match in PublishCommand().Matches(argument).Cast<Match>())
                    {
                        var words = match.Groups["arguments"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        published.Add(words[0].TrimEnd('/'));
                        publishArguments.Add(words);
                    }
                    break;
            }
        }
        return new Dockerfile(Path.GetFileName(path), bases, user, entrypoint, copies, published, publishArguments, finalRuns);
    }

    /// <summary>Yields (KEYWORD, argument) with comments dropped and backslash continuations joined.</summary>
    private static IEnumerable<(string Keyword, string Argument)> Instructions(string text)
    {
        var current = "";
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }
            current += line;
            var space = current.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0 ? (current.ToUpperInvariant(), "") : (current[..space].ToUpperInvariant(), current[(space + 1)..].Trim());
            current = "";
        }
    }

    // Everything after `dotnet publish` up to the end of that shell command (the project first).
    [GeneratedRegex(@"dotnet publish (?<arguments>[^&;|]+)")]
    private static partial Regex PublishCommand();
}
