namespace Conductor.Silo.Sweep;

/// <summary>What one sweep pass saw and did; each step reads the earlier steps' findings from it.</summary>
public sealed class SweepContext
{
    /// <summary>RBAC objects that got the ownership annotations in this pass.</summary>
    public int Stamped { get; set; }

    /// <summary>PermissionSets, RBACPolicies and RBACProfiles created in this pass.</summary>
    public int Created { get; set; }

    /// <summary>Components whose namespace exists.</summary>
    public List<string> ComponentsPresent { get; } = [];

    /// <summary>False when the guardian kinds are not served; the profile step then skips.</summary>
    public bool GuardianServed { get; set; }

    /// <summary>True when this pass switched enforcement to strict.</summary>
    public bool Flipped { get; set; }

    /// <summary>Every error of the pass, each naming the object; a pass with errors never flips enforcement.</summary>
    public List<string> Errors { get; } = [];
}

/// <summary>Whether the pass goes on to the next step.</summary>
public enum SweepStepResult
{
    Continue,
    Stop,
}

/// <summary>One step of the sweep.</summary>
public interface ISweepStep
{
    string Name { get; }

    Task<SweepStepResult> RunAsync(SweepContext context, CancellationToken cancellationToken);
}
