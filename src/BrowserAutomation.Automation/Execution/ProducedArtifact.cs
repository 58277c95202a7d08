namespace BrowserAutomation.Automation.Execution;

/// <summary>A file produced by a step, to be stored by the caller.</summary>
public sealed record ProducedArtifact(string ArtifactType, string FileName, string MimeType, ReadOnlyMemory<byte> Data, int? StepIndex);
