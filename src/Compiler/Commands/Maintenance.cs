using System.CommandLine;
using Conductor.Compiler.ClusterAccess;
using Conductor.Compiler.Output;
using Conductor.Compiler.Validation;
using Conductor.Compiler.Yaml;
using Conductor.Naming;
using Conductor.Resources.Platform;
using Conductor.Resources.References;
using k8s.Models;

namespace Conductor.Compiler.Commands;

/// <summary>
/// <c>compiler maintenance</c>: compiles a MaintenanceBundle CR with its scheduling context (leader node, target
/// nodes, S3 Secret) resolved from the live cluster by read-only GETs (compiler notes §5).
/// </summary>
internal static class Maintenance
{
    public const string OperationName = "--operation";
    public const string ClusterName = "--cluster";
    public const string NodesName = "--nodes";
    public const string S3SecretName = "--s3-secret";
    public const string NamespaceName = "--namespace";
    public const string KubeconfigName = "--kubeconfig";
    public const string DefaultS3Secret = "seam-etcd-backup-config";

    /// <summary>Upper bound for all cluster reads together, so an unreachable API server fails instead of hanging.</summary>
    public static readonly TimeSpan ClusterTimeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, MaintenanceOperation> Operations = new(StringComparer.Ordinal)
    {
        ["drain"] = MaintenanceOperation.Drain,
        ["upgrade"] = MaintenanceOperation.Upgrade,
        ["etcd-backup"] = MaintenanceOperation.EtcdBackup,
        ["machineconfig-rotation"] = MaintenanceOperation.MachineConfigRotation,
    };

    public static Command Command
    {
        get
        {
            var command = new Command("maintenance",
                "Compile a MaintenanceBundle CR with its scheduling context resolved from the cluster: the node of the Platform " +
                "operator leader (Lease seam-system/platform-leader), the target nodes (each must exist) and, for etcd-backup, " +
                "the S3 configuration Secret (must exist). Only reads from the cluster; the CR is written for review.\n\n" +
                "Examples:\n" +
                "  compiler maintenance --operation drain --cluster ccs-dev --nodes w1,w2 --output ./maintenance\n" +
                "  compiler maintenance --operation etcd-backup --cluster ccs-mgmt --s3-secret seam-system/etcd-s3 --output ./maintenance")
            {
                new Option<string>(OperationName) { Description = $"One of {string.Join(", ", Operations.Keys)}.", HelpName = "OPERATION", Required = true },
                new Option<string>(ClusterName) { Description = "The TalosCluster the operation applies to.", HelpName = "NAME", Required = true },
                Options.Output("Directory to write <cluster>-<operation>.yaml to; created if missing."),
                new Option<string[]>(NodesName, "--targets")
                {
                    Description = "Target nodes, comma-separated or repeated; each must exist. Required for drain.",
                    HelpName = "NODES",
                    Arity = ArgumentArity.ZeroOrMore,
                },
                new Option<string>(S3SecretName)
                {
                    Description = $"The S3 configuration Secret as [namespace/]name (namespace default seam-system). Default for etcd-backup: {DefaultS3Secret}.",
                    HelpName = "SECRET",
                },
                new Option<string>(NamespaceName) { Description = "Namespace of the MaintenanceBundle.", HelpName = "NAMESPACE", DefaultValueFactory = _ => "seam-system" },
                new Option<string>(KubeconfigName)
                {
                    Description = "Kubeconfig of the management cluster. Default: $KUBECONFIG (one path), else ~/.kube/config.",
                    HelpName = "FILE",
                },
            };
            command.SetAction((parseResult, cancellationToken) => Handler(
                parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, parseResult,
                Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), cancellationToken));
            return command;
        }
    }

    internal static async Task<int> Handler(
        TextWriter stdout, TextWriter stderr, ParseResult parseResult, Func<string, string?> environment, string? homeDirectory,
        CancellationToken cancellationToken)
    {
        var operationText = parseResult.GetValue<string>(OperationName) ?? "";
        var cluster = parseResult.GetValue<string>(ClusterName) ?? "";
        var output = parseResult.GetValue<string>(Options.OutputName) ?? "";
        var ns = parseResult.GetValue<string>(NamespaceName) ?? "seam-system";
        var nodes = (parseResult.GetValue<string[]>(NodesName) ?? [])
            .SelectMany(n => n.Split(',')).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var s3Text = parseResult.GetValue<string>(S3SecretName);

        var errors = new List<string>();
        if (!Operations.TryGetValue(operationText, out var operation))
        {
            errors.Add($"{OperationName}: '{operationText}' is not an operation; use one of {string.Join(", ", Operations.Keys)}");
        }
        if (!DnsLabel.IsValid(cluster))
        {
            errors.Add($"{ClusterName}: '{cluster}' is not a cluster name (lower-case letters, digits and '-')");
        }
        if (string.IsNullOrWhiteSpace(output))
        {
            errors.Add($"{Options.OutputName} is required");
        }
        if (!DnsLabel.IsValid(ns))
        {
            errors.Add($"{NamespaceName}: '{ns}' is not a namespace name");
        }
        if (operation == MaintenanceOperation.Drain && nodes.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{NodesName}: drain needs at least one target node");
        }
        var s3 = ParseSecretRef(s3Text ?? (operation == MaintenanceOperation.EtcdBackup ? DefaultS3Secret : null), errors);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                await stderr.WriteLineAsync($"compiler maintenance: {error}");
            }
            return ExitCodes.Failure;
        }

        MaintenanceContext context;
        try
        {
            var location = KubeconfigLocation.Resolve(parseResult.GetValue<string>(KubeconfigName), environment, homeDirectory)
                ?? throw new ClusterAccessException("no kubeconfig: pass --kubeconfig or set $KUBECONFIG");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ClusterTimeout);
            using var reader = ReadOnlyCluster.Connect(location, ClusterTimeout);
            context = await MaintenanceContextResolver.ResolveAsync(reader, new MaintenanceQuery(nodes, s3), timeout.Token);
        }
        catch (ClusterAccessException e)
        {
            await stderr.WriteLineAsync($"compiler maintenance: {e.Message}. Nothing was written.");
            return ExitCodes.Failure;
        }

        var name = $"{cluster}-{operationText}";
        var bundle = new MaintenanceBundle
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            Spec = new MaintenanceBundleSpec
            {
                ClusterRef = new NamedRef { Name = cluster },
                Operation = operation,
                MaintenanceTargetNodes = context.TargetNodes.Count > 0 ? context.TargetNodes : null,
                OperatorLeaderNode = context.OperatorLeaderNode,
                S3ConfigSecretRef = context.S3ConfigSecret,
            },
        };
        var directory = Path.GetFullPath(output);
        if (!await AtomicOutput.TryWriteAsync(directory, [($"{name}.yaml", ResourceYaml.Emit(bundle))], stderr,
            reason => $"compiler maintenance: cannot write to '{directory}': {reason} Nothing was written.", cancellationToken))
        {
            return ExitCodes.Failure;
        }
        await stdout.WriteLineAsync(
            $"Wrote {name}.yaml to {directory}: {operationText} of {cluster}, leader node {context.OperatorLeaderNode}" +
            (nodes.Count > 0 ? $", targets {string.Join(", ", nodes)}" : ""));
        return ExitCodes.Success;
    }

    private static NamespacedRef? ParseSecretRef(string? text, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split('/');
        var (ns, name) = parts.Length == 2 ? (parts[0], parts[1]) : (null, parts[0]);
        if (parts.Length > 2 || !DnsLabel.IsValid(name) || (ns is not null && !DnsLabel.IsValid(ns)))
        {
            errors.Add($"{S3SecretName}: '{text}' is not a Secret reference; write it as name or namespace/name");
            return null;
        }
        return new NamespacedRef { Name = name, Namespace = ns };
    }
}
