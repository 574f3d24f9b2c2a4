using Conductor.Compiler.Packs.Input;
using Conductor.Compiler.Packs.Split;

namespace Conductor.Compiler.Packs.Raw;

/// <summary>
/// The raw path (compiler.md §4.7): the regular <c>.yaml</c>/<c>.yml</c> files directly in a directory, in ordinal
/// name order. Each file is its own YAML stream, so a file that does not start with <c>---</c> never merges into the
/// previous file's last document (the reference concatenated them).
/// </summary>
public static class RawManifestSource
{
    public static IReadOnlyList<Manifest> Read(PackBuildDocument document)
    {
        var directory = document.Resolve(document.Input.RawSource?.Path ?? "");
        string[] files;
        try
        {
            files = [.. Directory.EnumerateFiles(directory)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackBuildException(document.Problem("rawSource.path", $"cannot list '{directory}' ({ex.Message}): fix the path or its permissions"), ex);
        }
        if (files.Length == 0)
        {
            throw new PackBuildException(document.Problem("rawSource.path",
                $"no YAML files found in \"{directory}\" (rule: the raw path reads the .yaml and .yml files directly in the directory, not subdirectories): add manifests or fix the path"));
        }

        var manifests = new List<Manifest>();
        var problems = new List<PackBuildProblem>();
        foreach (var file in files)
        {
            try
            {
                manifests.AddRange(ManifestParser.Parse(File.ReadAllText(file), file));
            }
            catch (PackBuildException ex)
            {
                problems.AddRange(ex.Problems);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add(new PackBuildProblem(file, null, null, "", $"cannot read the manifest file ({ex.Message})"));
            }
        }
        if (problems.Count > 0)
        {
            throw new PackBuildException(problems);
        }
        if (manifests.Count == 0)
        {
            throw new PackBuildException(document.Problem("rawSource.path",
                $"the YAML files in \"{directory}\" hold no manifests (only blank documents or Helm hooks): add manifests"));
        }
        return manifests;
    }
}
