namespace Conductor.Compiler.ClusterAccess;

/// <summary>Where the kubeconfig came from, so errors can say which setting to fix.</summary>
internal sealed record KubeconfigLocation(string Path, string Source)
{
    public const string Flag = "--kubeconfig";
    public const string EnvironmentVariable = "KUBECONFIG";

    /// <summary>
    /// <c>--kubeconfig</c>, else <c>$KUBECONFIG</c> taken verbatim as one path, else <c>~/.kube/config</c>
    /// (compiler notes §0.3). Null when none applies (no flag, no variable, no home directory).
    /// </summary>
    public static KubeconfigLocation? Resolve(string? flag, Func<string, string?> environment, string? homeDirectory)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return new(flag, Flag);
        }
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return new(fromEnvironment, $"${EnvironmentVariable}");
        }
        return string.IsNullOrEmpty(homeDirectory)
            ? null
            : new(System.IO.Path.Combine(homeDirectory, ".kube", "config"), "the default path ~/.kube/config");
    }
}
