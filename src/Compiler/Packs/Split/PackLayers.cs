using System.Security.Cryptography;
using System.Text;

namespace Conductor.Compiler.Packs.Split;

/// <summary>
/// The YAML text of each layer: every manifest as <c>---\n</c> + its text + <c>\n</c>; an empty layer is "".
/// <see cref="Checksum"/> is the lowercase hex SHA-256 of the three texts concatenated (rbac, cluster-scoped,
/// workload), which pack-deploy checks.
/// </summary>
public sealed record PackLayers(string Rbac, string ClusterScoped, string Workload)
{
    public string Checksum =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Rbac + ClusterScoped + Workload)));

    public static PackLayers From(SplitManifests split) => new(Text(split.Rbac), Text(split.ClusterScoped), Text(split.Workload));

    private static string Text(IReadOnlyList<Manifest> manifests)
    {
        var text = new StringBuilder();
        foreach (var manifest in manifests)
        {
            text.Append("---\n").Append(manifest.Text);
            if (!manifest.Text.EndsWith('\n'))
            {
                text.Append('\n');
            }
        }
        return text.ToString();
    }
}
