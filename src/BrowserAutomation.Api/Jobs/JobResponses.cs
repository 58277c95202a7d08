using System.Text.Json;
using BrowserAutomation.Contracts;

namespace BrowserAutomation.Api.Jobs;

/// <summary>202 body of POST /api/v1/jobs.</summary>
public sealed record JobAcceptedResponse(Guid JobId, string Status, DateTime CreatedAt);

/// <summary>GET /api/v1/jobs/{jobId} in the seed's shape, with the full result.</summary>
public sealed record JobResponse
{
    public required Guid Id { get; init; }

    public required string Status { get; init; }

    public required string ActionType { get; init; }

    public required int BrowserTypeId { get; init; }

    public required string TargetUrl { get; init; }

    public int Priority { get; init; }

    public int RetryCount { get; init; }

    public int MaxRetries { get; init; }

    public int TimeoutMs { get; init; }

    public JobResultResponse? Result { get; init; }

    public JobErrorResponse? Error { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? CompletedAt { get; init; }
}

/// <summary>The result: the seed's screenshotUrl and duration, plus everything the job produced.</summary>
public sealed record JobResultResponse
{
    public string? ScreenshotUrl { get; init; }

    public string? PdfUrl { get; init; }

    /// <summary>Execution time in milliseconds.</summary>
    public long Duration { get; init; }

    public string? FinalUrl { get; init; }

    public int? HttpStatus { get; init; }

    public string? Title { get; init; }

    public IReadOnlyList<StepOutcome> Steps { get; init; } = [];

    public IReadOnlyDictionary<string, JsonElement> Extracted { get; init; } = new Dictionary<string, JsonElement>();

    public IReadOnlyList<ArtifactResponse> Artifacts { get; init; } = [];
}

public sealed record ArtifactResponse(Guid Id, string ArtifactType, string FileName, string MimeType, long SizeBytes, string Url, int? StepIndex);

public sealed record JobErrorResponse(string? ErrorType, string? Message, int? FailedStepIndex);
