namespace Conductor.Registry.Auth;

/// <summary>Docker token scopes (<c>repository:&lt;name&gt;:&lt;actions&gt;</c>) an operation needs.</summary>
public static class RegistryScope
{
    /// <summary>Read access to <paramref name="repository"/>.</summary>
    public static string Pull(string repository) => $"repository:{repository}:pull";

    /// <summary>Read and write access to <paramref name="repository"/> (pushes also HEAD and GET).</summary>
    public static string Push(string repository) => $"repository:{repository}:pull,push";
}
