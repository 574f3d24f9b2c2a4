using Conductor.Compiler.Bootstrap;

namespace Conductor.Compiler.Validation.ClusterInputRules;

/// <summary>
/// The control-plane endpoint is an https URL, given in <c>bootstrap.controlPlaneEndpoint</c> or read from the
/// init/control-plane node's machine config in <c>machineConfigPaths</c>.
/// </summary>
internal sealed class EndpointRule : IClusterInputRule
{
    public IEnumerable<InputError> Check(ClusterInputContext context)
    {
        if (context.Input.Bootstrap is not { } bootstrap)
        {
            yield break;
        }
        if (bootstrap.ControlPlaneEndpoint is { } explicitEndpoint)
        {
            if (ControlPlaneEndpoint.TryParse(explicitEndpoint, out var error) is null)
            {
                yield return new("bootstrap.controlPlaneEndpoint", error);
            }
            yield break;
        }
        if (context.SourceNode is { Hostname: { } host } && context.MachineConfigs[host].Config is { } config)
        {
            var field = $"machineConfigPaths.{host}";
            if (config.Endpoint is not { } extracted)
            {
                yield return new(field,
                    $"'{context.Input.MachineConfigPaths![host]}' has no cluster.controlPlane.endpoint to take the endpoint from; set bootstrap.controlPlaneEndpoint");
            }
            else if (ControlPlaneEndpoint.TryParse(extracted, out var error) is null)
            {
                yield return new(field, $"cluster.controlPlane.endpoint in '{context.Input.MachineConfigPaths![host]}': {error}");
            }
            yield break;
        }
        if (context.SourceNode is null)
        {
            yield return new("bootstrap.controlPlaneEndpoint",
                "controlPlaneEndpoint is required when machineConfigPaths does not list an init or controlplane node; " +
                "write it as https://10.20.0.10:6443");
        }
    }
}
