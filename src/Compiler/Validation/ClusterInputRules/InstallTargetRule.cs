namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary><c>bootstrap.installDisk</c> is a device path; <c>bootstrap.installerImage</c> is an image reference.</summary>
internal sealed class InstallTargetRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Bootstrap is not { } bootstrap)
        {
            yield break;
        }
        if (bootstrap.InstallDisk is { } disk && (!disk.StartsWith("/dev/", StringComparison.Ordinal) || disk.Length == 5 || disk.Any(char.IsWhiteSpace)))
        {
            yield return new("bootstrap.installDisk", $"'{disk}' is not a device path; write it as /dev/sda or /dev/nvme0n1");
        }
        if (bootstrap.InstallerImage is { } image && (image.Length == 0 || image.Any(char.IsWhiteSpace) || image.Contains("://", StringComparison.Ordinal)))
        {
            yield return new("bootstrap.installerImage",
                $"'{image}' is not an image reference; write it as ghcr.io/siderolabs/installer:v1.9.3, without a scheme");
        }
    }
}
