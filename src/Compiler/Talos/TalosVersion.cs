using System.Globalization;
using System.Text.RegularExpressions;

namespace Conductor.Compiler.Talos;

/// <summary>
/// A Talos release and the machine-config contract it implies (compiler notes §1.6). The contract decides which
/// version-gated fields the generated v1alpha1 document carries.
/// </summary>
internal sealed partial record TalosVersion(int Major, int Minor, int Patch)
{
    /// <summary>Oldest and newest minor whose single-document v1alpha1 layout this compiler generates.</summary>
    public const int OldestMinor = 5;
    public const int NewestMinor = 11;

    // Talos' own default Kubernetes version per minor (the reference's support matrix). Newer minors need an
    // explicit bootstrap.kubernetesVersion.
    private static readonly Dictionary<int, string> DefaultKubernetes = new()
    {
        [9] = "1.32.3",
        [8] = "1.31.5",
        [7] = "1.30.9",
        [6] = "1.29.14",
        [5] = "1.28.15",
    };

    public string Tag => $"v{Major}.{Minor}.{Patch}";

    public static string SupportedRange => $"v1.{OldestMinor}.x to v1.{NewestMinor}.x";

    /// <summary>Parses <c>v1.9.3</c>; null with the reason when the text is malformed or the release is unsupported.</summary>
    public static TalosVersion? TryParse(string? text, out string error)
    {
        var match = Pattern().Match(text ?? "");
        if (!match.Success)
        {
            error = $"'{text}' is not a Talos version; write it as vMAJOR.MINOR.PATCH, for example v1.9.3";
            return null;
        }
        var version = new TalosVersion(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        if (version.Major != 1 || version.Minor < OldestMinor || version.Minor > NewestMinor)
        {
            error = $"Talos {version.Tag} is not supported; this compiler generates machine configs for {SupportedRange}";
            return null;
        }
        error = "";
        return version;
    }

    /// <summary>The Kubernetes version Talos defaults to for this release, or null when the user must name one.</summary>
    public string? DefaultKubernetesVersion => DefaultKubernetes.GetValueOrDefault(Minor);

    // Contract gates, as Talos phrases them ("greater than 1.x").
    public bool KubePrism => Minor > 5;
    public bool HostDns => Minor > 6;
    public bool RsaServiceAccountKey => Minor > 6;
    public bool ForwardKubeDnsToHost => Minor > 7;
    public bool ClusterNameForWorkers => Minor > 7;
    public bool ExcludeControlPlaneFromLoadBalancers => Minor > 7;

    [GeneratedRegex(@"^v?([0-9]+)\.([0-9]+)\.([0-9]+)$")]
    private static partial Regex Pattern();
}
