using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Conductor.Compiler.Encryption.Sops;

/// <summary>Reads and writes the single YAML document a SOPS file holds.</summary>
internal static class SopsDocument
{
    public static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new SopsException($"the input is not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count != 1)
        {
            throw new SopsException($"expected exactly one YAML document, found {stream.Documents.Count}");
        }
        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new SopsException("the YAML document must be a mapping at the top level");
    }

    public static string Save(YamlMappingNode root)
    {
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlStream ends each document with an explicit "..." marker; a single-document file does not need it.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
