using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conductor.Silo.Dashboard;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DashboardState))]
internal sealed partial class DashboardJson : JsonSerializerContext;
