namespace LeadPortal.Tests.Export;

/// <summary>
/// A test that opens exported files in LibreOffice Calc: skipped, with the reason, where Debian's LibreOffice is not
/// installed, unless LEADPORTAL_REQUIRE_LIBREOFFICE=1 (as .ci/run sets it), where a missing LibreOffice fails the test instead.
/// </summary>
public sealed class LibreOfficeFactAttribute : FactAttribute
{
    public const string SofficePath = "/usr/bin/soffice";

    public LibreOfficeFactAttribute()
    {
        if (!File.Exists(SofficePath) && Environment.GetEnvironmentVariable("LEADPORTAL_REQUIRE_LIBREOFFICE") != "1")
        {
            Skip = $"Spreadsheet tests need Debian's LibreOffice Calc at {SofficePath} (apt-get install libreoffice-calc-nogui).";
        }

        Timeout = 180_000;
    }
}
