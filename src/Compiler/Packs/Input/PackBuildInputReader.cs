using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Packs.Input;

/// <summary>
/// Reads a PackBuild input file with YamlDotNet: one YAML document, keys exactly as the schema names them (there is
/// no ignoring of unmatched keys). Malformed YAML, unknown fields and values of the wrong shape are errors naming the
/// file, the line and the field path.
/// </summary>
public static partial class PackBuildInputReader
{
    public static PackBuildDocument Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PackBuildException(new PackBuildProblem(path, null, null, "",
                $"cannot read the input file ({ex.Message}): pass an existing PackBuild YAML file to --input"), ex);
        }

        var root = LoadSingleDocument(path, text);
        var schema = new InputSchema(path);
        var input = schema.Bind(root, typeof(PackBuildInput)) as PackBuildInput;
        if (schema.Problems.Count > 0 || input is null)
        {
            throw new PackBuildException(schema.Problems.Count > 0 ? schema.Problems
                : [new PackBuildProblem(path, null, null, "", "the file holds no PackBuild mapping: write name, version and registryUrl")]);
        }
        return new PackBuildDocument(path, input, schema.Positions);
    }

    private static YamlNode LoadSingleDocument(string path, string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new PackBuildException(new PackBuildProblem(path, (int)ex.Start.Line, (int)ex.Start.Column, "",
                $"malformed YAML: {Reason(ex)}"), ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new PackBuildException(new PackBuildProblem(path, null, null, "",
                "the file holds no PackBuild input: write a YAML mapping with at least name, version and registryUrl"));
        }
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new PackBuildException(new PackBuildProblem(path, (int)second.Line, (int)second.Column, "",
                $"the file holds {stream.Documents.Count} YAML documents: a PackBuild input is exactly one; put each pack in its own file"));
        }
        return stream.Documents[0].RootNode;
    }

    /// <summary>YamlDotNet's message without its "(Line: …) - (Line: …): " prefix, which the problem already carries.</summary>
    internal static string Reason(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        return MarkPrefix().Replace(message, "").TrimEnd('.');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
