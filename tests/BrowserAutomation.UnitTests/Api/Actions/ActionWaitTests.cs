using BrowserAutomation.Api.Actions;

namespace BrowserAutomation.UnitTests.Api.Actions;

/// <summary>The action endpoints' ?wait parameter.</summary>
public sealed class ActionWaitTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("1500ms", 1_500)]
    [InlineData("30000", 30_000)]
    [InlineData(" 20S ", 20_000)]
    [InlineData("0", 0)]
    [InlineData("600s", 120_000)]
    [InlineData("999999999", 120_000)]
    public void Durations_are_seconds_milliseconds_or_a_number_of_milliseconds_capped_at_two_minutes(string? value, int expectedMs)
    {
        Assert.True(ActionsEndpoints.TryParseWait(value, out var wait));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), wait);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    [InlineData("5m")]
    [InlineData("s")]
    [InlineData("1e3")]
    public void Anything_else_is_refused(string value) => Assert.False(ActionsEndpoints.TryParseWait(value, out _));
}
