using k8s.Models;

namespace Conductor.Grains.Sequencing;

/// <summary>
/// The step Jobs as last delivered by the silo's Job watch, so a pass reads the in-flight Job without a GET. A Job the
/// cache does not hold (not listed yet, or gone) is read from the API server instead. Only a terminal Job decides
/// anything, and a terminal Job never changes back, so a cached copy is never wrong in a way that matters: an older
/// non-terminal copy only means a later watch event brings another pass.
/// </summary>
public interface IStepJobCache
{
    /// <summary>The Job named <paramref name="jobName"/> in the sequencer's namespace, or null when the cache does not hold it.</summary>
    V1Job? Find(string jobName);
}
