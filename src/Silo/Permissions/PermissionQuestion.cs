namespace Conductor.Silo.Permissions;

/// <summary>
/// May <see cref="Principal"/> do <see cref="Verb"/> on <see cref="ApiGroup"/>/<see cref="Resource"/> on
/// <see cref="Cluster"/>? Resource may be <c>resource/subresource</c>; ResourceName and Namespace are empty when the
/// request names no single object or is cluster-scoped. The core group is <c>""</c>.
/// </summary>
public sealed record PermissionQuestion(
    string Principal,
    string Cluster,
    string ApiGroup,
    string Resource,
    string Verb,
    string ResourceName = "",
    string Namespace = "");
