using Conductor.Compiler.OperatorBundle.Workloads;
using Conductor.Compiler.Rendering;
using Conductor.Resources;
using k8s.Models;

namespace Conductor.Compiler.OperatorBundle.Phases;

/// <summary>
/// Phase 03 (management): the seam.ontai.dev CRDs, then Platform, Dispatcher and seam-core with their RBAC,
/// RBACProfiles and the SeamMemberships of all five operators (their CRD is in this phase, so they come after it).
/// </summary>
public static class PlatformDispatcher
{
    public const string Directory = "03-platform-dispatcher";

    public static Phase Build(EnableSettings settings)
    {
        var operators = Operator.PlatformDispatcher;
        var members = new[] { Operator.Guardian, Operator.Platform, Operator.Dispatcher, Operator.Conductor(AgentRole.Management), Operator.SeamCore };
        return new Phase(Directory, "platform-dispatcher", "3",
            "The seam.ontai.dev CRDs report Established, the platform, dispatcher and seam-core Deployments are Available and " +
            "guardian reports their RBACProfiles provisioned. Only then apply 04-conductor.",
            [
                SeamCrds.File("seam-crds.yaml", Directory, SeamApi.Group),
                Manifest.Of("platform-dispatcher-rbac.yaml", Phase.Header(Directory, "ServiceAccounts and least-privilege RBAC of platform, dispatcher and seam-core."),
                    operators.SelectMany(op => new object[] { OperatorObjects.ServiceAccount(op) }.Concat(OperatorObjects.Rbac(op)))),
                Manifest.Of("platform-dispatcher-rbacprofiles.yaml", Phase.Header(Directory, "RBACProfiles of platform, dispatcher and seam-core."),
                    operators.Select(op => OperatorObjects.Profile(op, settings.ClusterName))),
                Manifest.Of("seam-memberships.yaml", Phase.Header(Directory, "SeamMemberships of the five infrastructure operators."),
                    members.Select(OperatorObjects.Membership)),
                Manifest.Of("platform-dispatcher-deployments.yaml", Phase.Header(Directory, "The platform, dispatcher and seam-core Deployments."),
                    Deployments(settings)),
                Manifest.Of("platform-dispatcher-metrics-services.yaml", Phase.Header(Directory, "Metrics Services of platform, dispatcher and seam-core."),
                    operators.Select(OperatorObjects.MetricsService)),
            ]);
    }

    private static IEnumerable<V1Deployment> Deployments(EnableSettings settings)
    {
        var operatorNamespace = OperatorObjects.FieldEnv("OPERATOR_NAMESPACE", "metadata.namespace");
        yield return OperatorObjects.StandardOperator(Operator.Platform, settings,
            [operatorNamespace, OperatorObjects.Env("CONDUCTOR_REGISTRY", settings.Registry)]);
        yield return OperatorObjects.StandardOperator(Operator.Dispatcher, settings, [operatorNamespace]);
        yield return OperatorObjects.StandardOperator(Operator.SeamCore, settings,
            [operatorNamespace]);
    }
}
