using Conductor.Permissions.Protocol;
using Grpc.Core;

namespace Conductor.Silo.Permissions;

/// <summary>The gRPC face of <see cref="PermissionDecisions"/>: translation only. Denial is data; every call returns OK.</summary>
public sealed class PermissionGrpcService(PermissionSnapshotStore store) : PermissionService.PermissionServiceBase
{
    public override Task<Decision> CheckPermission(CheckPermissionRequest request, ServerCallContext context) =>
        Task.FromResult(ToDecision(PermissionDecisions.Check(store.Current, Question(request)), withRule: false));

    public override Task<Decision> ExplainDecision(CheckPermissionRequest request, ServerCallContext context) =>
        Task.FromResult(ToDecision(PermissionDecisions.Check(store.Current, Question(request)), withRule: true));

    public override Task<ListPermissionsResponse> ListPermissions(ListPermissionsRequest request, ServerCallContext context)
    {
        var snapshot = store.Current;
        var response = new ListPermissionsResponse { SnapshotVersion = snapshot?.Version ?? "" };
        response.Rules.AddRange(PermissionDecisions.List(snapshot, request.Principal, request.Cluster).Select(ToRule));
        return Task.FromResult(response);
    }

    public override Task<WhoCanDoResponse> WhoCanDo(WhoCanDoRequest request, ServerCallContext context)
    {
        var snapshot = store.Current;
        var question = new PermissionQuestion("", request.Cluster, request.ApiGroup, request.Resource, request.Verb, request.ResourceName, request.Namespace);
        var response = new WhoCanDoResponse { SnapshotVersion = snapshot?.Version ?? "" };
        response.Principals.AddRange(PermissionDecisions.WhoCanDo(snapshot, question));
        return Task.FromResult(response);
    }

    private static PermissionQuestion Question(CheckPermissionRequest r) =>
        new(r.Principal, r.Cluster, r.ApiGroup, r.Resource, r.Verb, r.ResourceName, r.Namespace);

    private static Decision ToDecision(PermissionDecision decision, bool withRule)
    {
        var result = new Decision { Allowed = decision.Allowed, Reason = decision.Reason, SnapshotVersion = decision.SnapshotVersion };
        if (decision.MatchedGrant is { } grant && (withRule || decision.Allowed))
        {
            result.MatchedRule = ToRule(grant);
        }
        return result;
    }

    private static Rule ToRule(PermissionGrant grant)
    {
        var rule = new Rule { Namespace = grant.Namespace ?? "" };
        rule.ApiGroups.AddRange(grant.ApiGroups);
        rule.Resources.AddRange(grant.Resources);
        rule.Verbs.AddRange(grant.Verbs);
        rule.ResourceNames.AddRange(grant.ResourceNames);
        rule.Clusters.AddRange(grant.Clusters);
        return rule;
    }
}
