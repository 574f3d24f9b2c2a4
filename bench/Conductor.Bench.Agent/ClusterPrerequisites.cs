using System.Diagnostics;

namespace Conductor.Bench.Agent;

/// <summary>
/// What `compiler enable` puts on a cluster before its agent runs there: the <c>ont-system</c> namespace (the agent's
/// Lease, its ConfigMaps) and the RunnerConfig of each cluster the agent speaks for (its capability manifest, its
/// FederationChannelDegraded condition). Without them an agent never leads and keeps retrying, which is not the idle
/// state production runs (sessions 1-8 measured that by mistake: README, session 9). Applied with kubectl, which the
/// bench already needs for the launch CRDs; applying twice changes nothing.
/// </summary>
internal static class ClusterPrerequisites
{
    public const string AgentNamespace = "ont-system";

    /// <summary>Applies <paramref name="namespaces"/>, the RunnerConfigs' namespaces and the RunnerConfigs (namespace, cluster id) on the cluster of <paramref name="kubeconfig"/>.</summary>
    public static async Task ApplyAsync(string kubeconfig, IReadOnlyList<(string Namespace, string Cluster)> runnerConfigs, params string[] namespaces)
    {
        var documents = runnerConfigs.Select(r => r.Namespace).Append(AgentNamespace).Concat(namespaces).Distinct(StringComparer.Ordinal)
            .Select(ns => $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n")
            .Concat(runnerConfigs.Select(r =>
                $"apiVersion: seam.ontai.dev/v1alpha1\nkind: RunnerConfig\nmetadata:\n  name: {r.Cluster}\n  namespace: {r.Namespace}\n" +
                $"spec:\n  clusterRef: {r.Cluster}\n  agentImage: registry.example/conductor:bench\n"));
        var start = new ProcessStartInfo("kubectl", ["--kubeconfig", kubeconfig, "apply", "-f", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process kubectl;
        try
        {
            kubectl = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            throw new InvalidOperationException($"kubectl is needed on PATH to create {AgentNamespace} and the RunnerConfigs on {kubeconfig}: {missing.Message}", missing);
        }
        using (kubectl)
        {
            await kubectl.StandardInput.WriteAsync(string.Join("---\n", documents));
            kubectl.StandardInput.Close();
            var error = kubectl.StandardError.ReadToEndAsync();
            _ = await kubectl.StandardOutput.ReadToEndAsync();
            await kubectl.WaitForExitAsync();
            if (kubectl.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"kubectl apply on {kubeconfig} failed ({kubectl.ExitCode}): {(await error).Trim()}; are the launch CRDs installed (README)?");
            }
        }
    }
}
