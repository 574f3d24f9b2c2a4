using Microsoft.Extensions.Logging;

namespace Conductor.TestSupport.Logging;

/// <summary>One log entry as a test saw it.</summary>
public sealed record RecordedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
