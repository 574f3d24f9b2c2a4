using Conductor.Resources.References;

namespace Conductor.Compiler.ClusterAccess;

/// <summary>The scheduling context a MaintenanceBundle carries, resolved from the live cluster.</summary>
internal sealed record MaintenanceContext(string OperatorLeaderNode, IReadOnlyList<string> TargetNodes, NamespacedRef? S3ConfigSecret);

/// <summary>What to resolve: the target nodes and, when the operation needs one, the S3 configuration Secret.</summary>
internal sealed record MaintenanceQuery(IReadOnlyList<string> TargetNodes, NamespacedRef? S3ConfigSecret);
