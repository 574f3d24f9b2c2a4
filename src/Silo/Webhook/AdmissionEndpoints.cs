using System.Text.Json;
using Conductor.Observability;

namespace Conductor.Silo.Webhook;

/// <summary>
/// The two admission endpoints. Each reads an AdmissionReview v1 and always answers HTTP 200 with an AdmissionReview
/// whose response carries the request's uid; a body that is not a usable review gets a well-formed rejection
/// (code 400) naming what was wrong, never an exception.
/// </summary>
public static partial class AdmissionEndpoints
{
    public const string RbacOwnershipPath = "/validate/rbac-ownership";
    public const string LineagePath = "/validate/sealed-causal-chain";

    /// <summary>Largest review accepted: an object and its old version, each at most the API server's 1.5 MiB.</summary>
    private const long MaxBodyBytes = 4 * 1024 * 1024;

    public static IEndpointConventionBuilder MapRbacOwnership(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(RbacOwnershipPath, async (HttpContext http, EnforcementGate gate, ConductorMetrics metrics, ILoggerFactory loggers) =>
        {
            var strict = gate.IsStrict;
            return await ReviewAsync(http, metrics, request =>
            {
                var decision = RbacOwnershipPolicy.Decide(request, strict);
                if (decision.Warning is not null)
                {
                    LogAudited(loggers.CreateLogger(typeof(AdmissionEndpoints)), request.Operation ?? "", request.Kind?.Kind ?? "",
                        request.Namespace ?? "", request.Name ?? "", decision.Message);
                }
                else if (!decision.Allowed)
                {
                    LogRejected(loggers.CreateLogger(typeof(AdmissionEndpoints)), request.Operation ?? "", request.Kind?.Kind ?? "",
                        request.Namespace ?? "", request.Name ?? "", decision.Message);
                }
                return decision;
            });
        });

    public static IEndpointConventionBuilder MapLineage(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(LineagePath, (Delegate)((HttpContext http, ConductorMetrics metrics) => ReviewAsync(http, metrics, LineagePolicy.Decide)));

    private static async Task<IResult> ReviewAsync(HttpContext http, ConductorMetrics metrics, Func<AdmissionRequest, AdmissionDecision> decide)
    {
        var response = await AnswerAsync(http, decide);
        metrics.WebhookDecided(response switch
        {
            { Allowed: false } => WebhookDecisions.Denied,
            { Warnings.Count: > 0 } => WebhookDecisions.AuditedOnly,
            _ => WebhookDecisions.Allowed,
        });
        return Reply(response);
    }

    private static async Task<AdmissionResponse> AnswerAsync(HttpContext http, Func<AdmissionRequest, AdmissionDecision> decide)
    {
        AdmissionReview? review;
        try
        {
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                return Malformed("", $"the body is larger than {MaxBodyBytes} bytes");
            }
            review = await JsonSerializer.DeserializeAsync(http.Request.Body, AdmissionJsonContext.Default.AdmissionReview, http.RequestAborted);
        }
        catch (JsonException e)
        {
            return Malformed("", $"the body is not JSON: {e.Message}");
        }
        var uid = review?.Request?.Uid ?? "";
        var problem = review switch
        {
            null => "the body is empty",
            { ApiVersion: not AdmissionReview.V1 } => $"apiVersion is '{review.ApiVersion}', expected {AdmissionReview.V1}",
            { Kind: not AdmissionReview.KindName } => $"kind is '{review.Kind}', expected {AdmissionReview.KindName}",
            { Request: null } => "it has no request",
            { Request.Uid: null or "" } => "request.uid is missing",
            { Request.Kind: null } => "request.kind is missing",
            _ => null,
        };
        return problem is null ? decide(review!.Request!).ToResponse(uid) : Malformed(uid, problem);
    }

    private static AdmissionResponse Malformed(string uid, string problem) => new()
    {
        Uid = uid,
        Allowed = false,
        Status = new AdmissionStatus
        {
            Code = 400,
            Reason = "BadRequest",
            Message = $"Malformed AdmissionReview: {problem}. Send an {AdmissionReview.V1} AdmissionReview with a request.",
        },
    };

    private static IResult Reply(AdmissionResponse response) => Results.Json(
        new AdmissionReview { ApiVersion = AdmissionReview.V1, Kind = AdmissionReview.KindName, Response = response },
        AdmissionJsonContext.Default.AdmissionReview);

    [LoggerMessage(1, LogLevel.Warning, "Admitted {Operation} {Kind} {Namespace}/{Name} in audit mode: {Reason}")]
    private static partial void LogAudited(ILogger logger, string operation, string kind, string @namespace, string name, string reason);

    [LoggerMessage(2, LogLevel.Information, "Rejected {Operation} {Kind} {Namespace}/{Name}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string operation, string kind, string @namespace, string name, string reason);
}
