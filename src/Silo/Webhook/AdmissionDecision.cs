namespace Conductor.Silo.Webhook;

/// <summary>What a policy decided: allowed or not, the HTTP-style code and the message for the client.</summary>
public sealed record AdmissionDecision(bool Allowed, int Code, string? Reason, string Message, string? Warning = null)
{
    public static AdmissionDecision Allow(string why) => new(true, 200, null, why);

    public static AdmissionDecision Forbid(string message) => new(false, 403, "Forbidden", message);

    public AdmissionResponse ToResponse(string uid) => new()
    {
        Uid = uid,
        Allowed = Allowed,
        Status = Allowed ? null : new AdmissionStatus { Code = Code, Reason = Reason, Message = Message },
        Warnings = Warning is null ? null : [Warning],
    };
}
