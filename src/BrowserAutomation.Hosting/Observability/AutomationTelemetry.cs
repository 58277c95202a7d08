using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BrowserAutomation.Hosting.Observability;

/// <summary>
/// The service's own meter and activity source, shared by the API, the worker and the libraries they use, so that
/// every instrument and span is published under one name that the exporters subscribe to.
/// </summary>
public static class AutomationTelemetry
{
    public const string Name = "BrowserAutomation";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);
}
