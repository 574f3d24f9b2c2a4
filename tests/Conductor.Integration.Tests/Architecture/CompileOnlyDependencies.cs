namespace Conductor.Integration.Tests.Architecture;

/// <summary>
/// The one list of what only the compiler may depend on (DESIGN §1, this project's version of Go build tags). The
/// compile-only code itself (Helm/Go-template rendering, Kustomize, SOPS/age encryption, the CLI verbs) is written
/// in-house inside the <see cref="CompilerAssembly"/>, so keeping that assembly out keeps the code out.
/// </summary>
internal static class CompileOnlyDependencies
{
    public const string CompilerAssembly = "compiler";
    public const string CompilerProject = "Conductor.Compiler";

    /// <summary>NuGet packages (and the assembly each ships) that are compile-only, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> Packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["System.CommandLine"] = "the compiler's verb parser; the agent and the executor are configured by environment, not a command line",
    };

    // Deliberately NOT compile-only, although the compiler uses them too:
    //   YamlDotNet                 KubernetesClient depends on it (KubernetesYaml), so every program carries it.
    //   BouncyCastle.Cryptography  the agent signs with Ed25519 and the executor mints Talos client certificates.

    public static bool IsCompileOnlyAssembly(string assemblyName) =>
        string.Equals(assemblyName, CompilerAssembly, StringComparison.OrdinalIgnoreCase) || Packages.ContainsKey(assemblyName);
}
