using System.Text;
using LeadPortal.Import;
using Microsoft.Extensions.Options;

namespace LeadPortal.Tests.Import;

/// <summary>
/// Reading uploaded files without a store: encodings and separators detected (a semicolon UTF-16 file as Excel writes
/// it), and every bad file refused whole with a message that names its row or column.
/// </summary>
public sealed class ImportCsvTests : IDisposable
{
    private static readonly string[] Headers = ["Customer Contact Email Address", "Customer Name", "Offer name"];
    private readonly string _folder = LeadPortal.Tests.Infrastructure.TestTemp.NewPath("import-tests-");
    private readonly ImportOptions _options = new();

    public ImportCsvTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private List<string[]> ReadAll(string path, CsvFormat? format = null)
    {
        using var reader = ImportCsv.Open(path, format ?? ImportCsv.Detect(path), _options);
        var rows = new List<string[]> { reader.Headers.ToArray() };
        while (reader.Read() is { } row)
        {
            rows.Add(row);
        }

        return rows;
    }

    private string Refusal(byte[] bytes, CsvFormat? format = null)
    {
        var path = Write(bytes);
        return Assert.Throws<ImportFileException>(() => ReadAll(path, format)).Message;
    }

    [Fact]
    public void A_semicolon_separated_UTF16_file_with_a_byte_order_mark_is_detected_and_read()
    {
        var text = "Customer Contact Email Address;Customer Name;Offer name\r\njörg@müller.example;Müller & Söhne;\"Demo; EU\"\r\n";
        var path = Write([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        Assert.Equal(new CsvFormat(ImportCsv.Utf16Le, ";"), ImportCsv.Detect(path));
        var rows = ReadAll(path);
        Assert.Equal(Headers, rows[0]);
        Assert.Equal(["jörg@müller.example", "Müller & Söhne", "Demo; EU"], rows[1]);
    }

    [Fact]
    public void UTF8_with_and_without_a_byte_order_mark_Windows_1252_and_tabs_are_detected()
    {
        var text = "Email\tCompany\r\nana@contoso.example\tCafé Ltd\r\n";
        Assert.Equal(new CsvFormat(ImportCsv.Utf8, "\t"), ImportCsv.Detect(Write(Encoding.UTF8.GetBytes(text))));
        var bom = Write([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.Replace('\t', ','))]);
        Assert.Equal(new CsvFormat(ImportCsv.Utf8, ","), ImportCsv.Detect(bom));
        Assert.Equal("Email", ReadAll(bom)[0][0]);

        var latin = Write(ImportCsv.Decoder(ImportCsv.Windows1252).GetBytes(text.Replace('\t', ';')));
        Assert.Equal(new CsvFormat(ImportCsv.Windows1252, ";"), ImportCsv.Detect(latin));
        Assert.Equal("Café Ltd", ReadAll(latin)[1][1]);
    }

    [Fact]
    public void A_binary_file_is_refused_as_not_text()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, .. new byte[200]];
        Assert.StartsWith("This is not a text file (byte 9 is a NUL", Refusal(png));
        Assert.StartsWith("This is an Excel workbook", Refusal([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]));
        Assert.Equal("The file is empty.", Refusal([]));
    }

    [Fact]
    public void A_Windows_1252_file_read_as_UTF8_names_the_row_where_it_goes_wrong()
    {
        var bytes = ImportCsv.Decoder(ImportCsv.Windows1252).GetBytes("Email,Company\r\nana@contoso.example,Contoso\r\nlea@cafe.example,Café Ltd\r\n");
        var message = Refusal(bytes, new CsvFormat(ImportCsv.Utf8, ","));
        Assert.StartsWith("Line 3: the file is not UTF-8 text", message);
        Assert.Contains("Windows-1252", message);
    }

    [Fact]
    public void Unbalanced_quotes_are_refused_with_their_row()
    {
        var unclosed = Refusal(Encoding.UTF8.GetBytes("Email,Company\r\nana@contoso.example,Contoso\r\nlea@fabrikam.example,\"Fabrikam\r\nsam@northwind.example,Northwind\r\n"));
        Assert.StartsWith("Row 3: ", unclosed);
        Assert.Contains("quot", unclosed);
        var stray = Refusal(Encoding.UTF8.GetBytes("Email,Company\r\nana@contoso.example,Con\"toso\r\n"));
        Assert.StartsWith("Row 2: ", stray);
    }

    [Fact]
    public void Ten_thousand_columns_are_refused_with_a_hint_about_the_separator()
    {
        var header = string.Join(",", Enumerable.Range(1, 10_000).Select(i => $"c{i}"));
        Assert.Equal(
            "Row 1 has 10,000 columns; an import reads at most 300. Is the separator right? The file was read with Comma as its separator.",
            Refusal(Encoding.UTF8.GetBytes(header + "\r\n")));
    }

    [Fact]
    public void Duplicate_headers_are_refused_naming_both_columns()
    {
        Assert.Equal(
            "Row 1, columns 1 and 3 are both named 'email': rename one, so that each column can be mapped on its own.",
            Refusal(Encoding.UTF8.GetBytes("Email,Company,email\r\na@b.example,C,d@e.example\r\n")));
    }

    [Fact]
    public void More_rows_than_an_import_takes_are_refused()
    {
        var options = new ImportOptions { MaxRows = 3 };
        var path = Write(Encoding.UTF8.GetBytes("Email\r\na@x.example\r\nb@x.example\r\nc@x.example\r\nd@x.example\r\n"));
        using var reader = ImportCsv.Open(path, ImportCsv.Detect(path), options);
        var message = Assert.Throws<ImportFileException>(() =>
        {
            while (reader.Read() is not null)
            {
            }
        }).Message;
        Assert.Equal("The file has more than 3 rows, the most an import takes: split it into several files.", message);
    }

    [Fact]
    public async Task A_1_GB_upload_is_cut_off_at_the_limit_and_leaves_no_file_behind()
    {
        var files = new ImportFiles(Options.Create(new ImportOptions { Folder = _folder }), new TestHostEnvironment(_folder));
        await using var huge = new EndlessStream(1L << 30);

        var error = await Assert.ThrowsAsync<ImportTooLargeException>(() => files.SaveAsync(huge, CancellationToken.None));

        Assert.Equal("The file is larger than 50 MB, the most an import takes: split it into several files.", error.Message);
        Assert.True(huge.Position <= 51L * 1024 * 1024, "Reading stops at the limit, not at the end of the upload.");
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void A_row_becomes_a_lead_with_exact_reasons_for_what_is_wrong_and_formulas_kept_as_text()
    {
        var now = new DateTime(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
        string?[] mapping = [ImportFields.Email, ImportFields.Company, ImportFields.OfferTitle];

        var (lead, error) = ImportRows.Convert(2, ["ana@contoso.example", "=HYPERLINK(\"http://x\")", "Demo"], Headers, mapping, now);
        Assert.Null(error);
        Assert.Equal(("=HYPERLINK(\"http://x\")", "Demo", now), (lead!.Lead.Company, lead.Lead.OfferTitle, lead.ReceivedAt));

        Assert.Equal("Row 17, column 'Customer Contact Email Address': '=1+1' is not an e-mail address.",
            ImportRows.Convert(17, ["=1+1", "C", "Demo"], Headers, mapping, now).Error!.Describe());
        Assert.Equal("Row 18: it has 5 cells and the header 3; a separator inside a cell that is not quoted?",
            ImportRows.Convert(18, ["a@b.example", "C", "Demo", "x", "y"], Headers, mapping, now).Error!.Describe());
    }

    [Theory]
    [InlineData("Customer Contact Email Address", ImportFields.Email)]
    [InlineData("customer_contact_email_address", ImportFields.Email)]
    [InlineData("Call to action", ImportFields.ActionCode)]
    [InlineData("LeadCreationDateTime", ImportFields.ReceivedAt)]
    [InlineData("Received at", ImportFields.ReceivedAt)]
    [InlineData("Job title", ImportFields.Title)]
    [InlineData("Last Name", ImportFields.LastName)]
    [InlineData("Lead ID", null)]
    public void Headers_map_by_Partner_Centers_LeadPortals_and_the_CRM_presets_names(string header, string? field) =>
        Assert.Equal(field, ImportFields.ForHeader(header));

    [Fact]
    public void Aliases_from_settings_map_a_header_the_built_in_names_do_not_know() =>
        Assert.Equal(ImportFields.Email, ImportFields.ForHeader("Kontakt E-Post", new Dictionary<string, string[]> { ["Email"] = ["Kontakt e-post"] }));

    private sealed class TestHostEnvironment(string root) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";
        public string ApplicationName { get; set; } = "LeadPortal";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    /// <summary>A stream of zeros as long as told, without holding them: a 1 GB upload in no memory.</summary>
    private sealed class EndlessStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
