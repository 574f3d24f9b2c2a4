using YamlDotNet.Core;

namespace Conductor.Compiler.Packs.Input;

/// <summary>A parsed PackBuild input with the file it came from and where each field sits in that file.</summary>
public sealed record PackBuildDocument(string FilePath, PackBuildInput Input, IReadOnlyDictionary<string, Mark> Positions)
{
    /// <summary>The directory relative paths in the input are resolved against.</summary>
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(FilePath)) ?? ".";

    /// <summary>Resolves <paramref name="path"/> against <see cref="Directory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(path, Directory);

    /// <summary>A problem at <paramref name="field"/>, placed at the field or its nearest parent that has a position.</summary>
    public PackBuildProblem Problem(string field, string message)
    {
        for (var candidate = field; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (Positions.TryGetValue(candidate, out var mark))
            {
                return new PackBuildProblem(FilePath, (int)mark.Line, (int)mark.Column, field, message);
            }
        }
        return new PackBuildProblem(FilePath, null, null, field, message);
    }

    private static string Parent(string field)
    {
        var cut = Math.Max(field.LastIndexOf('.'), field.LastIndexOf('['));
        return cut < 0 ? "" : field[..cut];
    }
}
