using System.Text.Json.Nodes;

namespace Conductor.Compiler.Talos.Patches;

/// <summary>
/// The reference's merge rule for machine-config patches (compiler notes §1.7), which is not Talos' strategic merge:
/// mappings merge key by key, recursively; when both sides are lists the patch list is appended; anything else is
/// replaced by the patch value. New keys keep the patch's order after the existing ones.
/// </summary>
internal static class DeepMerge
{
    public static void Into(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            var incoming = value?.DeepClone();
            switch (target[key], incoming)
            {
                case (JsonObject existing, JsonObject patchMap):
                    Into(existing, patchMap);
                    break;
                case (JsonArray existing, JsonArray patchList):
                    foreach (var item in patchList.ToList())
                    {
                        patchList.Remove(item);
                        existing.Add(item);
                    }
                    break;
                default:
                    target[key] = incoming;
                    break;
            }
        }
    }
}
