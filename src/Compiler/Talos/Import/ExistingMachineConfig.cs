using System.Text.Json.Nodes;
using Conductor.Compiler.Yaml;

namespace Conductor.Compiler.Talos.Import;

/// <summary>A Talos machine config read from disk (first YAML document), with the fields bootstrap reuses.</summary>
internal sealed record ExistingMachineConfig(string Path, JsonObject Document)
{
    public string? MachineType => Text("machine", "type");

    /// <summary><c>cluster.controlPlane.endpoint</c>, or null.</summary>
    public string? Endpoint => Text("cluster", "controlPlane", "endpoint");

    /// <summary><c>machine.install.disk</c>, or null.</summary>
    public string? InstallDisk => Text("machine", "install", "disk");

    /// <summary>Reads and checks the document shape; the error names the file and what is wrong.</summary>
    public static ExistingMachineConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MachineConfigImportException(e is FileNotFoundException or DirectoryNotFoundException
                ? "the file does not exist"
                : $"cannot read the file: {e.Message}", e);
        }
        JsonNode? tree;
        try
        {
            tree = YamlReader.ReadFirstDocument(text);
        }
        catch (YamlReadException e)
        {
            throw new MachineConfigImportException($"not a Talos machine config: {e.Message}", e);
        }
        if (tree is not JsonObject document)
        {
            throw new MachineConfigImportException("not a Talos machine config: the document is not a YAML mapping");
        }
        var version = document["version"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (version != "v1alpha1")
        {
            throw new MachineConfigImportException(
                $"not a Talos machine config: 'version' is {(version is null ? "missing" : $"'{version}'")}, expected v1alpha1");
        }
        if (document["machine"] is not JsonObject || document["cluster"] is not JsonObject)
        {
            throw new MachineConfigImportException("not a Talos machine config: the 'machine' and 'cluster' sections are required");
        }
        return new ExistingMachineConfig(path, document);
    }

    public string? Text(params string[] path)
    {
        JsonNode? node = Document;
        foreach (var key in path)
        {
            node = node is JsonObject map ? map[key] : null;
        }
        return node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
    }
}

/// <summary>An existing machine config that cannot be used; the message says why, the caller adds the file.</summary>
internal sealed class MachineConfigImportException(string message, Exception? inner = null) : Exception(message, inner);
