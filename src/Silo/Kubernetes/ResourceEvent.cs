using k8s;

namespace Conductor.Silo.Kubernetes;

/// <summary>One change an informer delivers: Added, Modified or Deleted, with the object as last seen.</summary>
public sealed record ResourceEvent<T>(WatchEventType Type, T Object);
