using Conductor.Compiler.Bootstrap.Input;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>Runs every ClusterInput rule and returns all errors at once, in rule order.</summary>
internal static class ClusterInputValidator
{
    // Identity first, then the bootstrap section, nodes, endpoint and optional features, then the files on disk:
    // the order errors are listed in, roughly the order a reader meets the fields.
    private static readonly IReadOnlyList<IClusterInputRule> Rules =
    [
        new NameRule(),
        new NamespaceRule(),
        new ModeRule(),
        new RoleRule(),
        new BootstrapSectionRule(),
        new TalosVersionRule(),
        new KubernetesVersionRule(),
        new NodeFieldsRule(),
        new NodeAddressRule(),
        new UniqueNodesRule(),
        new InitNodeRule(),
        new EndpointRule(),
        new InstallTargetRule(),
        new RegistryMirrorsRule(),
        new PatchesRule(),
        new CapiRule(),
        new MachineConfigPathsRule(),
        new ImportSourceRule(),
    ];

    public static IReadOnlyList<InputError> Validate(ClusterInputContext context) => [.. Rules.SelectMany(rule => rule.Check(context))];

    public static IReadOnlyList<InputError> Validate(ClusterInput input, string workingDirectory) =>
        Validate(new ClusterInputContext(input, workingDirectory));
}
