namespace BrowserAutomation.Hosting;

/// <summary>Which value a setting takes when both its environment variable and its sectioned key are set.</summary>
public enum SettingPrecedence
{
    /// <summary>The sectioned key (<c>Database__Host</c>) wins over the variable (DB_HOST).</summary>
    SectionWins,

    /// <summary>The variable (CHROMIUM_EXECUTABLE_PATH) wins over the sectioned key (<c>Browser__ChromiumExecutablePath</c>).</summary>
    VariableWins,

    /// <summary>A list takes the entries of both (URL_ALLOWED_HOSTS and <c>UrlPolicy__AllowedHosts__0</c>).</summary>
    Merged,
}
