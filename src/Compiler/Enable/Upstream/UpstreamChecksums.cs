using System.Text.RegularExpressions;

namespace Conductor.Compiler.OperatorBundle.Upstream;

/// <summary>
/// Reads a <c>sha256sum</c>-style file (<c>&lt;64 hex&gt;  &lt;url&gt;</c> per line, <c>#</c> comments) and resolves each
/// pinned release to a <see cref="PinnedManifest"/>. Every problem is reported, naming the file, line and rule.
/// </summary>
public static partial class UpstreamChecksums
{
    public static IReadOnlyDictionary<string, string> Parse(string path, string text, List<string> errors)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var match = Line().Match(line);
            if (!match.Success)
            {
                errors.Add($"{path}:{i + 1}: expected '<sha256 as 64 hex digits>  <url>', got '{line}'");
                continue;
            }
            if (!sums.TryAdd(match.Groups["url"].Value, match.Groups["sum"].Value.ToLowerInvariant()))
            {
                errors.Add($"{path}:{i + 1}: {match.Groups["url"].Value} is listed twice; keep one line per URL");
            }
        }
        return sums;
    }

    public static IReadOnlyList<PinnedManifest> Resolve(
        IEnumerable<UpstreamRelease> releases, IReadOnlyDictionary<string, string> sums, string? checksumsPath, List<string> errors)
    {
        var pinned = new List<PinnedManifest>();
        foreach (var release in releases)
        {
            var sum = sums.GetValueOrDefault(release.Url) ?? release.Sha256;
            if (sum is null)
            {
                errors.Add(
                    $"{(checksumsPath is null ? "--upstream-checksums" : checksumsPath)}: no SHA-256 for {release.Name} {release.Version} " +
                    $"({release.Url}); the bundle references upstream manifests only by URL and checksum. Add the line " +
                    $"printed by `curl -fsSL {release.Url} | sha256sum | sed 's|-$|{release.Url}|'`");
                continue;
            }
            pinned.Add(new PinnedManifest(release.Name, release.Version, release.Url, sum));
        }
        return pinned;
    }

    [GeneratedRegex(@"^(?<sum>[0-9a-fA-F]{64})\s+\*?(?<url>https://\S+)$")]
    private static partial Regex Line();
}
