namespace BrowserAutomation.IntegrationTests.Support.Otlp;

/// <summary>A span as an exporter sent it, with ids in the hex form of W3C trace context.</summary>
public sealed record ReceivedSpan(string Service, string Scope, Span Span)
{
    public string TraceId => Convert.ToHexStringLower(Span.TraceId.Span);

    public string SpanId => Convert.ToHexStringLower(Span.SpanId.Span);

    /// <summary>Empty for a root span.</summary>
    public string ParentSpanId => Convert.ToHexStringLower(Span.ParentSpanId.Span);

    public string Name => Span.Name;

    public string? Attribute(string key)
    {
        var value = Span.Attributes.FirstOrDefault(a => a.Key == key)?.Value;
        return value?.ValueCase switch
        {
            AnyValue.ValueOneofCase.StringValue => value.StringValue,
            AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
            AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };
    }

    public IEnumerable<string> AttributeValues => Span.Attributes.Select(a => a.Value?.StringValue ?? string.Empty);

    public override string ToString() => $"{Service} {Name} {SpanId} <- {ParentSpanId}";
}
