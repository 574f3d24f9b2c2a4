using System.Text.Json.Nodes;
using Conductor.Compiler.Bootstrap.Input;
using Conductor.Compiler.Bootstrap.Manifests;
using Conductor.Compiler.Encryption.Age;
using Conductor.Compiler.Encryption.Sops;
using Conductor.Compiler.Talos.Import;
using Conductor.Compiler.Talos.MachineConfig;
using Conductor.Compiler.Talos.Patches;
using Conductor.Compiler.Talos.Secrets;
using Conductor.Compiler.Talos.Talosconfig;
using Conductor.Compiler.Yaml;
using Conductor.Resources.Platform;

namespace Conductor.Compiler.Bootstrap;

/// <summary>
/// Turns a resolved <see cref="ClusterPlan"/> into the files of compiler notes §1.5: one machine-config Secret per
/// node, the talosconfig Secret, the TalosCluster CR, the apply sequence and, on import, the tenant namespace.
/// Every Secret is SOPS-encrypted when recipients are given.
/// </summary>
internal static class BootstrapCompiler
{
    public static IReadOnlyList<OutputFile> Compile(ClusterPlan plan, IReadOnlyList<AgeRecipient> recipients, BootstrapServices services)
    {
        var secrets = plan.ImportSource is { } source
            ? SecretsBundleImport.TryExtract(source, []) ?? throw new InvalidOperationException("validated import source holds a bundle")
            : SecretsBundleGenerator.Generate(plan.TalosVersion, services.Time, services.Random, services.Rsa);
        var inputs = new ClusterConfigInputs(
            plan.Name, plan.Endpoint, plan.TalosVersion, plan.KubernetesVersion, plan.InstallDisk, plan.InstallerImage, secrets);
        var patches = MachineConfigPatch.Pipeline(plan.Input);

        var files = new List<OutputFile>();
        var tenantNamespace = BootstrapNames.TenantNamespace(plan.Name);
        if (plan.Mode == ClusterMode.Import)
        {
            files.Add(new OutputFile(BootstrapNames.NamespaceFile, NamespaceManifest.Build(plan.Name), HoldsSecrets: false));
        }
        foreach (var node in plan.Nodes)
        {
            var config = MachineConfigDocument.Build(inputs, node.Role!, node.Hostname!);
            foreach (var patch in patches)
            {
                DeepMerge.Into(config, (JsonObject)patch.Content.DeepClone());
            }
            var name = BootstrapNames.MachineConfigSecret(plan.Name, node.Hostname!);
            var labels = Labels.Of(
                (Labels.Cluster, plan.Name), (Labels.Node, node.Hostname!), (Labels.NodeRole, node.Role!),
                (Labels.ManagedBy, BootstrapNames.ManagedBy));
            files.Add(new OutputFile($"{name}.yaml",
                SecretManifest.Build(name, tenantNamespace, labels, [(BootstrapNames.MachineConfigKey, YamlEmitter.Emit(config))]),
                HoldsSecrets: true));
        }

        var endpoints = plan.Nodes.Where(n => NodeRoles.HoldsClusterSecrets(n.Role)).Select(n => n.Ip!).ToList();
        var talosconfig = TalosconfigBuilder.Build(plan.Name, endpoints, secrets, services.Time, services.Random);
        var talosconfigName = BootstrapNames.TalosconfigSecret(plan.Name);
        files.Add(new OutputFile($"{talosconfigName}.yaml",
            SecretManifest.Build(talosconfigName, tenantNamespace,
                Labels.Of((Labels.Cluster, plan.Name), (Labels.ManagedBy, BootstrapNames.ManagedBy)),
                [(BootstrapNames.TalosconfigKey, talosconfig)]),
            HoldsSecrets: true));

        var clusterFile = $"{plan.Name}.yaml";
        files.Add(new OutputFile(clusterFile, TalosClusterManifest.Build(plan), HoldsSecrets: false));
        files.Add(new OutputFile(BootstrapNames.SequenceFile,
            SequenceManifest.Build(plan, [.. files.Where(f => f.Name != clusterFile).Select(f => f.Name)], clusterFile),
            HoldsSecrets: false));

        return recipients.Count == 0
            ? files
            : [.. files.Select(f => f.HoldsSecrets
                ? f with { Content = SopsEncryptor.EncryptSecretYaml(f.Content, recipients, services.Time, services.Random) }
                : f)];
    }
}
