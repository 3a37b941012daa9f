using System.Diagnostics;
using LeadPortal.Export;
using LeadPortal.Mapping;
using LeadPortal.Tests.Mapping;
using LeadPortal.Tests.Infrastructure;

namespace LeadPortal.Tests.Export;

/// <summary>Exported files opened by a real spreadsheet: LibreOffice Calc's CSV import, headless.</summary>
[Collection(HeavyTests.Name)]
public sealed class LibreOfficeImportTests : IDisposable
{
    // Calc's CSV filter options: comma, double quote, UTF-8, from line 1; the second also trims spaces around
    // unquoted cells (the import dialog's "Trim spaces"), which is what turns " =1+1" into a formula.
    private const string AsIs = "44,34,76,1";
    private const string TrimmingSpaces = "44,34,76,1,,0,false,true,false,false,true";

    private readonly DirectoryInfo _folder = new DirectoryInfo(TestTemp.NewFolder("calc-"));

    public void Dispose() => _folder.Delete(recursive: true);

    [LibreOfficeFact]
    public async Task LibreOffice_reads_formula_payloads_exported_through_every_preset_as_text()
    {
        if (!File.Exists(LibreOfficeFactAttribute.SofficePath))
        {
            Assert.Fail($"LibreOffice is required here (LEADPORTAL_REQUIRE_LIBREOFFICE=1) but {LibreOfficeFactAttribute.SofficePath} is missing (apt-get install libreoffice-calc-nogui).");
        }

        // An unguarded formula, to show that this LibreOffice runs formulas from a CSV file at all.
        var files = new List<string> { Path.Combine(_folder.FullName, "unguarded.csv") };
        await File.WriteAllTextAsync(files[0], "a,b\r\n=1+1,x\r\n");
        var rows = SampleLeadRows.FormulaPayloads.Select((payload, i) => SampleLeadRows.WithEveryTextField(payload, 200 + i))
            .Append(SampleLeadRows.MarketplaceInstall).ToArray();
        foreach (var preset in new[] { Presets.Dynamics365Lead, Presets.SalesforceLead, Presets.HubSpotContacts })
        {
            var path = Path.Combine(_folder.FullName, $"{preset}.csv");
            await using var output = File.Create(path);
            var written = await CsvExportWriter.WriteAsync(Profiles.Compile(Presets.Get(preset)!.Definition), SampleLeadRows.ToAsync(rows), output, CancellationToken.None);
            Assert.Equal(rows.Length, written);
            files.Add(path);
        }

        foreach (var options in new[] { AsIs, TrimmingSpaces })
        {
            var sheets = await ConvertAsync(files, options);

            Assert.Contains("table:formula=", sheets["unguarded"], StringComparison.Ordinal);
            foreach (var (name, sheet) in sheets.Where(s => s.Key != "unguarded"))
            {
                Assert.Contains("HYPERLINK", sheet, StringComparison.Ordinal);
                Assert.Contains("Lindqvist", sheet, StringComparison.Ordinal);
                Assert.False(sheet.Contains("table:formula=", StringComparison.Ordinal), $"{name}, options {options}: a cell is a formula");
            }
        }
    }

    /// <summary>Opens each CSV file in Calc and saves it as a flat OpenDocument spreadsheet, whose XML names every formula cell.</summary>
    private async Task<Dictionary<string, string>> ConvertAsync(IReadOnlyList<string> csvFiles, string options)
    {
        var outDir = _folder.CreateSubdirectory(Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(LibreOfficeFactAttribute.SofficePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A profile of its own, so a LibreOffice someone has open (or another test run) is not asked to do the work.
        foreach (var argument in new[]
                 {
                     "--headless", "--norestore", $"-env:UserInstallation={new Uri(Path.Combine(_folder.FullName, "profile")).AbsoluteUri}",
                     $"--infilter=CSV:{options}", "--convert-to", "fods", "--outdir", outDir.FullName,
                 }.Concat(csvFiles))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var sheets = csvFiles.Select(f => Path.GetFileNameWithoutExtension(f)!)
            .ToDictionary(name => name, name => Path.Combine(outDir.FullName, name + ".fods"));
        var missing = sheets.Values.Where(f => !File.Exists(f)).ToList();
        Assert.True(process.ExitCode == 0 && missing.Count == 0,
            $"soffice exited with {process.ExitCode}, missing {string.Join(", ", missing)}: {await stdout} {await stderr}");
        return sheets.ToDictionary(s => s.Key, s => File.ReadAllText(s.Value));
    }
}
