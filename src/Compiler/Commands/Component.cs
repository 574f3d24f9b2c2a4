using System.CommandLine;
using Conductor.Compiler.ClusterAccess;
using Conductor.Compiler.Components;
using Conductor.Compiler.Components.Descriptors;
using Conductor.Compiler.Components.Discovery;
using Conductor.Compiler.Components.Rendering;
using Conductor.Compiler.Output;
using Conductor.Compiler.Rendering;
using Conductor.Components;
using Conductor.Naming;

namespace Conductor.Compiler.Commands;

/// <summary>
/// <c>compiler component</c>: PermissionSets and RBACProfiles for third-party components, from the embedded catalog
/// (<c>--component</c>) or a descriptor (<c>--descriptor</c>); or, with <c>--discover</c>, a read-only report of which
/// catalog components a cluster runs.
/// </summary>
internal static class Component
{
    private const string ComponentOption = "--component";
    private const string DescriptorOption = "--descriptor";
    private const string DiscoverOption = "--discover";
    private const string NamespaceOption = "--namespace";
    private const string TargetClustersOption = "--target-clusters";
    private const string RbacPolicyRefOption = "--rbac-policy-ref";
    private const string KubeconfigOption = "--kubeconfig";

    /// <summary>How long <c>--discover</c> waits for the API server before giving up.</summary>
    public static readonly TimeSpan DiscoverTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What cluster-access resolution reads from the process: environment variables and the home directory.</summary>
    public sealed record HostEnvironment(Func<string, string?> Variable, string? HomeDirectory)
    {
        public static HostEnvironment Process { get; } =
            new(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
    }

    public static Command Create(HostEnvironment? environment = null)
    {
        var known = string.Join(", ", ComponentCatalog.All.Select(entry => entry.Name));
        var output = Options.Output("Directory for rbac-<component>.yaml files; created if missing. Other files there are kept. Not used with --discover.");
        output.Required = false;
        var command = new Command("component",
            $"Write PermissionSets and RBACProfiles (guardian.ontai.dev/v1alpha1) that grant a third-party component exactly the RBAC it needs, " +
            $"one file rbac-<component>.yaml per component: the PermissionSets first, then one RBACProfile per service account. " +
            $"Catalog mode (--component, repeatable) uses the embedded catalog {ComponentCatalog.Version} ({known}); " +
            "NAME=NAMESPACE names a non-default install namespace. Custom mode (--descriptor) reads a YAML descriptor with the same shape " +
            "(name, version, description, namespace, principals[].serviceAccount/profile/permissionSets[].name/description/scope/namespaces/rules[]) " +
            "and marks its output for human review; profile defaults to rbac-<name> when there is one principal. " +
            "Discover mode (--discover) lists the catalog components deployed on a cluster, recognised by the labels of their Deployments and " +
            "DaemonSets, and prints the command that writes their RBAC; it only reads, writes no files, and finds the cluster through " +
            "--kubeconfig, else $KUBECONFIG, else ~/.kube/config. Same flags, same bytes out; nothing is applied.\n\n" +
            "Examples:\n" +
            "  compiler component --component cilium --component kueue --namespace seam-tenant-ccs-dev --target-clusters ccs-dev \\\n" +
            "      --rbac-policy-ref tenant-policy --output ./rbac\n" +
            "  compiler component --component cert-manager=certs --namespace seam-system --target-clusters ccs-mgmt,ccs-dev \\\n" +
            "      --rbac-policy-ref management-policy --output ./rbac\n" +
            "  compiler component --descriptor my-operator.yaml --namespace seam-system --target-clusters ccs-mgmt \\\n" +
            "      --rbac-policy-ref management-policy --output ./rbac\n" +
            "  compiler component --discover --kubeconfig ~/.kube/ccs-dev.yaml")
        {
            new Option<string[]>(ComponentOption) { Description = $"Catalog component to write RBAC for, NAME or NAME=NAMESPACE; repeatable. Known: {known}.", HelpName = "NAME[=NAMESPACE]" },
            new Option<string>(DescriptorOption) { Description = "Custom component descriptor (YAML); not with --component.", HelpName = "FILE" },
            new Option<bool>(DiscoverOption) { Description = "Report which catalog components the cluster runs (read-only; prints to stdout)." },
            output,
            new Option<string>(NamespaceOption, "-n") { Description = "Namespace of the PermissionSets and RBACProfiles. With --discover: scan only this namespace.", HelpName = "NAMESPACE" },
            new Option<string>(TargetClustersOption) { Description = "Comma-separated clusters the profiles apply to.", HelpName = "CLUSTER[,CLUSTER…]" },
            new Option<string>(RbacPolicyRefOption) { Description = "RBACPolicy the profiles are held under.", HelpName = "POLICY" },
            new Option<string>(KubeconfigOption) { Description = "--discover: kubeconfig file; default $KUBECONFIG, then ~/.kube/config.", HelpName = "FILE" },
        };
        var host = environment ?? HostEnvironment.Process;
        command.SetAction((parseResult, cancellationToken) => Handler(
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, parseResult, host, cancellationToken));
        return command;
    }

    internal static async Task<int> Handler(TextWriter stdout, TextWriter stderr, ParseResult parseResult, HostEnvironment environment,
        CancellationToken cancellationToken)
    {
        var components = parseResult.GetValue<string[]>(ComponentOption) ?? [];
        var descriptor = parseResult.GetValue<string>(DescriptorOption);
        var discover = parseResult.GetValue<bool>(DiscoverOption);
        var output = parseResult.GetValue<string>(Options.OutputName);
        var ns = parseResult.GetValue<string>(NamespaceOption);
        var clusters = parseResult.GetValue<string>(TargetClustersOption);
        var policy = parseResult.GetValue<string>(RbacPolicyRefOption);

        var usage = Usage(components, descriptor, discover, output, ns, clusters, policy);
        if (usage.Count > 0)
        {
            await WriteErrorsAsync(stderr, usage, "Run 'compiler component --help' for usage.");
            return ExitCodes.Usage;
        }
        return discover
            ? await DiscoverAsync(stdout, stderr, ns, parseResult.GetValue<string>(KubeconfigOption), environment, cancellationToken)
            : await CompileAsync(stdout, stderr, components, descriptor, output!, ns!, clusters!, policy!, cancellationToken);
    }

    private static List<string> Usage(string[] components, string? descriptor, bool discover, string? output, string? ns, string? clusters, string? policy)
    {
        var errors = new List<string>();
        if (discover)
        {
            if (components.Length > 0 || descriptor is not null)
            {
                errors.Add("--discover reports what a cluster runs; it cannot be combined with --component or --descriptor");
            }
            if (output is not null)
            {
                errors.Add("--output: --discover prints its report to stdout and writes no files; drop --output (redirect stdout to keep the report)");
            }
            if (clusters is not null || policy is not null)
            {
                errors.Add("--target-clusters and --rbac-policy-ref are for writing RBAC; --discover does not use them");
            }
            return errors;
        }
        if (components.Length > 0 && descriptor is not null)
        {
            errors.Add("--component and --descriptor are mutually exclusive: write catalog components and a custom descriptor in separate runs");
        }
        else if (components.Length == 0 && descriptor is null)
        {
            errors.Add("one of --component, --descriptor or --discover is required");
        }
        Require(output, Options.OutputName, "the directory to write rbac-<component>.yaml to", errors);
        Require(ns, NamespaceOption, "the namespace of the PermissionSets and RBACProfiles, for example seam-tenant-ccs-dev", errors);
        Require(clusters, TargetClustersOption, "the comma-separated clusters the profiles apply to", errors);
        Require(policy, RbacPolicyRefOption, "the RBACPolicy the profiles are held under", errors);
        return errors;
    }

    private static void Require(string? value, string option, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{option} is required: {what}");
        }
    }

    private static async Task<int> CompileAsync(TextWriter stdout, TextWriter stderr, string[] components, string? descriptorPath,
        string output, string ns, string clusters, string policy, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!DnsLabel.IsValid(ns))
        {
            errors.Add($"{NamespaceOption}: '{ns}' must be a DNS-1123 label (a namespace name)");
        }
        var targetClusters = TargetClusters(clusters, errors);
        if (!DnsSubdomain.IsValid(policy))
        {
            errors.Add($"{RbacPolicyRefOption}: '{policy}' must be the name of an RBACPolicy: a DNS-1123 subdomain");
        }

        var selected = new List<SelectedComponent>();
        ComponentSource source = new ComponentSource.Catalog(ComponentCatalog.Version);
        if (descriptorPath is not null)
        {
            if (ComponentDescriptorReader.Read(descriptorPath, errors) is { } descriptor)
            {
                ComponentValidator.Validate(descriptor.Definition, descriptor.Locate, errors);
                selected.Add(new SelectedComponent(descriptor.Definition, descriptor.Definition.Namespace));
                source = new ComponentSource.Descriptor(Path.GetFileName(descriptorPath));
            }
        }
        else
        {
            selected.AddRange(CatalogSelection.Resolve(components, ComponentCatalog.All, errors));
        }
        if (errors.Count > 0)
        {
            await WriteErrorsAsync(stderr, errors, $"{errors.Count} error(s); nothing was written.");
            return ExitCodes.Failure;
        }

        var settings = new ProfileSettings(ns, targetClusters, policy);
        var files = selected.Select(s => ComponentRbac.Build(s.Definition, s.InstallNamespace, settings, source))
            .Select(manifest => (manifest.Name, manifest.Render())).ToList();
        var directory = Path.GetFullPath(output);
        if (!await AtomicOutput.TryWriteAsync(directory, files, stderr,
            reason => $"compiler component: {Options.OutputName} {directory}: cannot write the output: {reason} Nothing was written; choose a writable directory.",
            cancellationToken))
        {
            return ExitCodes.Failure;
        }
        await stdout.WriteLineAsync(
            $"Wrote RBAC for {string.Join(", ", selected.Select(s => s.Definition.Name))} ({files.Count} file(s)) to {directory}");
        return ExitCodes.Success;
    }

    private static List<string> TargetClusters(string value, List<string> errors)
    {
        var clusters = value.Split(',').Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (clusters.Count == 0)
        {
            errors.Add($"{TargetClustersOption}: '{value}' names no cluster; give at least one, comma-separated");
        }
        foreach (var cluster in clusters.Where(c => !DnsLabel.IsValid(c)))
        {
            errors.Add($"{TargetClustersOption}: '{cluster}' must be a cluster name: a DNS-1123 label");
        }
        return clusters;
    }

    private static async Task<int> DiscoverAsync(TextWriter stdout, TextWriter stderr, string? ns, string? kubeconfig, HostEnvironment environment,
        CancellationToken cancellationToken)
    {
        if (ns is not null && !DnsLabel.IsValid(ns))
        {
            await stderr.WriteLineAsync($"compiler component: discover: {NamespaceOption}: '{ns}' must be a DNS-1123 label (a namespace name)");
            return ExitCodes.Failure;
        }
        if (KubeconfigLocation.Resolve(kubeconfig, environment.Variable, environment.HomeDirectory) is not { } location)
        {
            await stderr.WriteLineAsync(
                $"compiler component: discover: no kubeconfig: pass {KubeconfigOption}, set ${KubeconfigLocation.EnvironmentVariable}, or create ~/.kube/config");
            return ExitCodes.Failure;
        }
        try
        {
            var listing = await ClusterWorkloads.ListAsync(location, ns, DiscoverTimeout, cancellationToken);
            var detected = ComponentDetector.Detect(ComponentCatalog.All, listing.Workloads);
            await stdout.WriteAsync(DiscoveryReport.Render(location, listing, ns, ComponentCatalog.All, ComponentCatalog.Version, detected));
            return ExitCodes.Success;
        }
        catch (ClusterAccessException ex)
        {
            await stderr.WriteLineAsync($"compiler component: discover: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task WriteErrorsAsync(TextWriter stderr, IEnumerable<string> errors, string summary)
    {
        foreach (var error in errors)
        {
            await stderr.WriteLineAsync($"compiler component: {error}");
        }
        await stderr.WriteLineAsync($"compiler component: {summary}");
    }
}
