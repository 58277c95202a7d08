using System.Text.Json;
using BrowserAutomation.Hosting;
using BrowserAutomation.Hosting.Observability;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace BrowserAutomation.UnitTests.Hosting;

/// <summary>LOG_FORMAT and LOG_LEVEL: what they accept, what a bad value says, and the JSON line the json format writes.</summary>
public sealed class LoggingSettingsTests
{
    private static readonly string[] Hosts = ["a.test", "b.test"];

    [Theory]
    [InlineData("LOG_FORMAT", "xml", "LOG_FORMAT (Logging:Format) must be one of Text, Json, not 'xml'.")]
    [InlineData("LOG_FORMAT", "7", "LOG_FORMAT (Logging:Format)")]
    [InlineData("LOG_LEVEL", "verbose", "LOG_LEVEL (Logging:LogLevel:Default): must be one of trace, debug, information (info), warning (warn), error, critical (fatal) or none, not 'verbose'.")]
    [InlineData("LOG_LEVEL", "2", "LOG_LEVEL (Logging:LogLevel:Default): must be one of")]
    public void A_bad_logging_setting_stops_the_host_naming_the_variable(string variable, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Builder(new() { [variable] = value }).AddAutomationLogging("test"));

        Assert.Contains(expected, string.Join("\n", error.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("info", "Information")]
    [InlineData("WARN", "Warning")]
    [InlineData("Debug", "Debug")]
    [InlineData("fatal", "Critical")]
    [InlineData("trace", "Trace")]
    [InlineData("error", "Error")]
    public void LOG_LEVEL_sets_the_default_level_by_its_dotnet_name(string value, string expected)
    {
        var builder = Builder(new() { ["LOG_LEVEL"] = value }).AddAutomationLogging("test");

        Assert.Equal(expected, builder.Configuration["Logging:LogLevel:Default"]);
    }

    [Fact]
    public void The_sectioned_level_wins_over_LOG_LEVEL_and_no_level_leaves_the_default()
    {
        Assert.Equal("Debug", Builder(new() { ["LOG_LEVEL"] = "error", ["Logging:LogLevel:Default"] = "Debug" })
            .AddAutomationLogging("test").Configuration["Logging:LogLevel:Default"]);
        Assert.Null(Builder([]).AddAutomationLogging("test").Configuration["Logging:LogLevel:Default"]);
    }

    [Theory]
    [InlineData(null, "simple")]
    [InlineData("text", "simple")]
    [InlineData("JSON", JsonLinesConsoleFormatter.FormatterName)]
    public void LOG_FORMAT_picks_the_console_formatter(string? value, string expected)
    {
        var builder = Builder(value is null ? [] : new() { ["LOG_FORMAT"] = value });
        builder.Logging.AddConsole();
        builder.AddAutomationLogging("test");
        using var provider = builder.Services.BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? "simple");
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void A_json_line_has_the_standard_fields_the_scopes_and_the_template_arguments_as_text_only()
    {
        var jobId = Guid.NewGuid();
        var scopes = new LoggerExternalScopeProvider();
        using var job = scopes.Push(new Dictionary<string, object?> { ["jobId"] = jobId, ["attempt"] = 2, ["engine"] = "chromium" });
        using var text = scopes.Push("a scope without fields");
        IReadOnlyList<KeyValuePair<string, object?>> state =
        [
            new("Target", new Credentials("user", "hunter2")),
            new("Elapsed", 12.5),
            new("Hosts", Hosts),
            new("{OriginalFormat}", "Visited {Target} in {Elapsed} ms ({Hosts})"),
        ];
        var failure = new InvalidOperationException("boom");
        var entry = new LogEntry<IReadOnlyList<KeyValuePair<string, object?>>>(LogLevel.Warning, "Some.Category", new EventId(7), state, failure,
            static (_, _) => "Visited user in 12.5 ms (a.test, b.test)");
        using var output = new StringWriter();

        new JsonLinesConsoleFormatter("browser-automation-test").Write(in entry, scopes, output);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal(DateTimeKind.Utc, json.GetProperty("timestamp").GetDateTime().Kind);
        Assert.EndsWith("Z", json.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
        Assert.Equal("warning", json.GetProperty("level").GetString());
        Assert.Equal("Some.Category", json.GetProperty("category").GetString());
        Assert.Equal("Visited user in 12.5 ms (a.test, b.test)", json.GetProperty("message").GetString());
        Assert.Contains("boom", json.GetProperty("exception").GetString(), StringComparison.Ordinal);
        Assert.Equal("browser-automation-test", json.GetProperty("service").GetString());
        Assert.Equal(7, json.GetProperty("eventId").GetInt32());
        Assert.Equal(jobId, json.GetProperty("jobId").GetGuid());
        Assert.Equal(2, json.GetProperty("attempt").GetInt32());
        Assert.Equal("chromium", json.GetProperty("engine").GetString());
        Assert.Equal("user", json.GetProperty("target").GetString());
        Assert.Equal(12.5, json.GetProperty("elapsed").GetDouble());
        Assert.Equal("a.test, b.test", json.GetProperty("hosts").GetString());
        Assert.False(json.TryGetProperty("{OriginalFormat}", out _));
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariableMapping();
        return builder;
    }

    /// <summary>An object whose text shows only the user: what a careless log call might pass.</summary>
    private sealed record Credentials(string User, string Password)
    {
        public override string ToString() => User;
    }
}
