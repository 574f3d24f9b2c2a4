using System.Text.Json.Nodes;
using Conductor.Compiler.Bootstrap.Input;
using Conductor.Compiler.Yaml;

namespace Conductor.Compiler.Talos.Patches;

/// <summary>One patch of the pipeline, with the name its errors carry.</summary>
internal sealed record MachineConfigPatch(string Name, JsonObject Content)
{
    /// <summary>
    /// The pipeline, in the order the reference applies it (compiler notes §1.7): Cilium prerequisites, registry
    /// mirrors, then each user patch. Assumes the input passed validation (every user patch is a YAML mapping).
    /// </summary>
    public static IReadOnlyList<MachineConfigPatch> Pipeline(ClusterInput input)
    {
        var patches = new List<MachineConfigPatch>();
        if (input.CiliumPrerequisites == true)
        {
            patches.Add(new("ciliumPrerequisites", CiliumPrerequisites()));
        }
        if (input.RegistryMirrors is { Count: > 0 } mirrors)
        {
            patches.Add(new("registryMirrors", RegistryMirrors(mirrors)));
        }
        for (var i = 0; i < (input.Patches?.Count ?? 0); i++)
        {
            patches.Add(new($"patches[{i}]", Parse(input.Patches![i])));
        }
        return patches;
    }

    /// <summary>A user patch as a mapping; throws <see cref="YamlReadException"/> with the reason otherwise.</summary>
    public static JsonObject Parse(string yaml) => YamlReader.ReadFirstDocument(yaml) switch
    {
        JsonObject map => map,
        null => throw new YamlReadException("the patch is empty; write a YAML mapping such as 'machine: {sysctls: {…}}'"),
        _ => throw new YamlReadException("the patch must be a YAML mapping such as 'machine: {sysctls: {…}}'"),
    };

    // Cilium replaces kube-proxy's netfilter path; these modules and relaxed reverse-path filtering are what its
    // datapath needs on Talos.
    private static JsonObject CiliumPrerequisites() => new()
    {
        ["machine"] = new JsonObject
        {
            ["kernel"] = new JsonObject
            {
                ["modules"] = new JsonArray(new JsonObject { ["name"] = "br_netfilter" }, new JsonObject { ["name"] = "xt_socket" }),
            },
            ["sysctls"] = new JsonObject
            {
                ["net.ipv4.conf.all.rp_filter"] = "0",
                ["net.ipv4.conf.default.rp_filter"] = "0",
            },
        },
    };

    private static JsonObject RegistryMirrors(IReadOnlyList<RegistryMirrorInput> mirrors)
    {
        var byRegistry = new JsonObject();
        foreach (var mirror in mirrors)
        {
            // A repeated registry: the last entry wins, as in the reference.
            byRegistry[mirror.Registry!] = new JsonObject
            {
                ["endpoints"] = new JsonArray([.. (mirror.Endpoints ?? []).Select(e => JsonValue.Create(e))]),
            };
        }
        return new JsonObject { ["machine"] = new JsonObject { ["registries"] = new JsonObject { ["mirrors"] = byRegistry } } };
    }
}
