namespace Conductor.Federation;

/// <summary>
/// Answers tenants' RunnerConfig validation requests from the capability catalog and each capability's step
/// parameter schema. Stateless: any activation answers.
/// </summary>
public interface IRunnerConfigValidationGrain : IGrainWithIntegerKey
{
    Task<ValidationVerdict> ValidateAsync(string clusterId, ValidationRequest request);
}
