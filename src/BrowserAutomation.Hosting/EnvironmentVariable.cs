namespace BrowserAutomation.Hosting;

/// <summary>
/// One row of <see cref="EnvironmentMapping"/>: a deployment variable, the options key it sets, which wins when both
/// are set, and whether its value is a comma-separated list (bound as the entries <c>Key:0</c>, <c>Key:1</c>, ...).
/// </summary>
public sealed record EnvironmentVariable(string Name, string Key, SettingPrecedence Precedence, bool IsList = false);
