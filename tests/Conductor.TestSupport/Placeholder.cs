namespace Conductor.TestSupport;

internal static class Placeholder;
