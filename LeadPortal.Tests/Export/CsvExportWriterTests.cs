using System.Runtime.CompilerServices;
using System.Text;
using CsvHelper;
using LeadPortal.Export;
using LeadPortal.Mapping;
using LeadPortal.Tests.Mapping;
using static LeadPortal.Tests.Mapping.Profiles;

namespace LeadPortal.Tests.Export;

public sealed class CsvExportWriterTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static MappingDefinition NameCompanyDescription(CsvDelimiter delimiter = CsvDelimiter.Comma, bool bom = false)
    {
        var definition = Of(Field("First", "FirstName"), Field("Company", "Company"), Field("Description", "Description"));
        definition.Settings.Delimiter = delimiter;
        definition.Settings.Utf8Bom = bom;
        return definition;
    }

    private static async Task<(byte[] Bytes, int Count)> Export(MappingDefinition definition, params LeadRow[] rows)
    {
        using var output = new MemoryStream();
        var count = await CsvExportWriter.WriteAsync(Compile(definition), SampleLeadRows.ToAsync(rows), output, CancellationToken.None);
        return (output.ToArray(), count);
    }

    private static async Task<List<string[]>> ReadBack(byte[] bytes, char separator)
    {
        using var input = new MemoryStream(bytes);
        await using var reader = CsvReader.Create(input, new CsvReaderOptions { Separator = separator, HasHeader = false });
        var records = new List<string[]>();
        while (await reader.ReadAsync())
        {
            records.Add(reader.Current.ToArray());
        }

        return records;
    }

    private static LeadRow Lead(string? first, string? company = "Fabrikam AB", string? description = null) =>
        SampleLeadRows.MarketplaceInstall with { FirstName = first, Company = company, Description = description };

    [Fact]
    public async Task The_file_is_a_header_row_then_one_crlf_terminated_record_per_lead()
    {
        var (bytes, count) = await Export(NameCompanyDescription(), Lead("Maja", description: "Hi"), Lead("Ben", "Adatum"));

        Assert.Equal(2, count);
        Assert.Equal("First,Company,Description\r\nMaja,Fabrikam AB,Hi\r\nBen,Adatum,\r\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task Quotes_are_doubled_and_fields_with_separators_quotes_or_line_breaks_are_quoted()
    {
        var (bytes, _) = await Export(NameCompanyDescription(), Lead("Say \"hi\"", "Acme, Inc.", "line 1\r\nline 2"), Lead("a\nb", "c\rd", "semi;colon"));

        Assert.Equal(
            "First,Company,Description\r\n\"Say \"\"hi\"\"\",\"Acme, Inc.\",\"line 1\r\nline 2\"\r\n\"a\nb\",\"c\rd\",semi;colon\r\n",
            Encoding.UTF8.GetString(bytes));
    }

    public static TheoryData<CsvDelimiter, char> Delimiters => new()
    {
        { CsvDelimiter.Comma, ',' },
        { CsvDelimiter.Semicolon, ';' },
        { CsvDelimiter.Tab, '\t' },
    };

    [Theory]
    [MemberData(nameof(Delimiters))]
    public async Task Awkward_values_read_back_exactly(CsvDelimiter delimiter, char separator)
    {
        string[][] values =
        [
            ["Tomás", "Ó Briain & Søn – 日本語 😀", "Ünïcödé"],
            ["Say \"hi\"", "\"", "\"\""],
            ["Acme, Inc.", "a;b", "semi;colon, and comma"],
            ["tab\there", "x\t", "\ty"],
            ["line 1\r\nline 2", "lf\nonly", "cr\ronly"],
            ["", " padded ", "trailing\r\n"],
        ];
        var rows = values.Select(v => Lead(v[0], v[1], v[2])).ToArray();

        var (bytes, count) = await Export(NameCompanyDescription(delimiter), rows);
        var records = await ReadBack(bytes, separator);

        Assert.Equal(values.Length, count);
        Assert.Equal(["First", "Company", "Description"], records[0]);
        var expected = values.Select(v => v.Select(x => SpreadsheetSafety.Neutralize(x)).ToArray());
        Assert.Equal(expected, records.Skip(1));
    }

    [Fact]
    public async Task Semicolon_files_use_semicolons_between_fields()
    {
        var (bytes, _) = await Export(NameCompanyDescription(CsvDelimiter.Semicolon), Lead("Maja", "Acme, Inc.", "a;b"));

        Assert.Equal("First;Company;Description\r\nMaja;Acme, Inc.;\"a;b\"\r\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task Tab_files_use_tabs_between_fields()
    {
        var (bytes, _) = await Export(NameCompanyDescription(CsvDelimiter.Tab), Lead("Maja", "a\tb"));

        Assert.Equal("First\tCompany\tDescription\r\nMaja\t\"a\tb\"\t\r\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task The_file_starts_with_a_byte_order_mark_when_the_profile_asks_for_one()
    {
        var (bytes, _) = await Export(NameCompanyDescription(bom: true), Lead("Tomás"));

        Assert.Equal(Bom, bytes[..3]);
        Assert.Equal("First,Company,Description\r\nTomás,Fabrikam AB,\r\n", Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public async Task The_file_has_no_byte_order_mark_when_the_profile_does_not_ask_for_one()
    {
        var (bytes, _) = await Export(NameCompanyDescription(bom: false), Lead("Tomás"));

        Assert.Equal((byte)'F', bytes[0]);
        Assert.Equal("First,Company,Description\r\nTomás,Fabrikam AB,\r\n", new UTF8Encoding(false).GetString(bytes));
    }

    [Fact]
    public async Task Possible_formulas_are_neutralized_but_phone_numbers_and_numbers_are_not()
    {
        var (bytes, _) = await Export(
            NameCompanyDescription(),
            Lead("=SUM(A1)", "@cmd", "+46 8 555 0101"),
            Lead("-5", "-2+3", "=HYPERLINK(\"http://x\",\"y\")"),
            Lead("\tTab", "+1 (415) 555-0123", "-"));

        var records = await ReadBack(bytes, ',');

        Assert.Equal(["'=SUM(A1)", "'@cmd", "+46 8 555 0101"], records[1]);
        Assert.Equal(["-5", "'-2+3", "'=HYPERLINK(\"http://x\",\"y\")"], records[2]);
        Assert.Equal(["'\tTab", "+1 (415) 555-0123", "'-"], records[3]);
    }

    [Fact]
    public async Task Test_and_do_not_contact_leads_are_left_out_unless_the_profile_includes_them()
    {
        var samples = SampleLeadRows.ByFile.Values.ToArray();
        var definition = Of(Field("Email", "Email"));

        var (bytes, count) = await Export(definition, samples);

        Assert.Equal(5, count);
        var emails = (await ReadBack(bytes, ',')).Skip(1).Select(r => r[0]).ToList();
        Assert.DoesNotContain("priya.nair@woodgrove.example", emails);
        Assert.DoesNotContain(SampleLeadRows.MsftTest + "@test.com", emails);

        definition.Settings.IncludeTestLeads = true;
        definition.Settings.IncludeDoNotContact = true;
        Assert.Equal(7, (await Export(definition, samples)).Count);
    }

    [Fact]
    public async Task A_preset_exports_the_sample_leads_as_a_crm_would_read_them()
    {
        var definition = Presets.Get(Presets.Dynamics365Lead)!.Definition;

        var (bytes, count) = await Export(definition, [.. SampleLeadRows.ByFile.Values]);
        var records = await ReadBack(bytes[3..], ',');

        Assert.Equal(Bom, bytes[..3]);
        Assert.Equal(5, count);
        Assert.Equal(6, records.Count);
        Assert.Equal(
            ["Maja", "Lindqvist", "LeadPortal Demo Offer – Get it now / free trial", "Fabrikam AB", "maja.lindqvist@fabrikam.example", "+46 8 555 0101", "Head of IT", "Sweden", "Customer selected Get It Now", "Web"],
            records[1]);
    }

    public static TheoryData<string> PresetKeys => [Presets.Dynamics365Lead, Presets.SalesforceLead, Presets.HubSpotContacts];

    [Theory]
    [MemberData(nameof(PresetKeys))]
    public async Task A_formula_behind_a_control_character_or_spaces_leaves_every_preset_as_text(string preset)
    {
        var definition = Presets.Get(preset)!.Definition;
        var rows = SampleLeadRows.FormulaPayloads.Select((payload, i) => SampleLeadRows.WithEveryTextField(payload, 200 + i)).ToArray();

        var (bytes, count) = await Export(definition, rows);
        var cells = (await ReadBack(definition.Settings.Utf8Bom ? bytes[3..] : bytes, ',')).Skip(1).SelectMany(r => r).ToList();

        Assert.Equal(rows.Length, count);
        var formulas = cells.Where(c => c.Contains("HYPERLINK", StringComparison.Ordinal)).ToList();
        Assert.True(formulas.Count >= 4 * rows.Length, $"only {formulas.Count} cells carried the payload");
        Assert.All(formulas, cell => Assert.StartsWith("'", cell, StringComparison.Ordinal));
        Assert.DoesNotContain(cells, cell => cell.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')));
    }

    [Fact]
    public async Task An_empty_source_gives_just_the_header_row()
    {
        var (bytes, count) = await Export(NameCompanyDescription());

        Assert.Equal(0, count);
        Assert.Equal("First,Company,Description\r\n", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public async Task The_output_stream_is_left_open()
    {
        var output = new MemoryStream();
        await CsvExportWriter.WriteAsync(Compile(NameCompanyDescription()), SampleLeadRows.ToAsync([Lead("Maja")]), output, CancellationToken.None);

        Assert.True(output.CanWrite);
        output.WriteByte((byte)'#');
    }

    [Fact]
    public async Task Fifty_thousand_rows_stream_through_without_being_collected_first()
    {
        const int rows = 50_000;
        var output = new AsyncOnlyStream();
        var bytesSeenBeforeLastRow = 0L;

        async IAsyncEnumerable<LeadRow> Generate([EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 1; i <= rows; i++)
            {
                if (i == rows)
                {
                    bytesSeenBeforeLastRow = output.BytesWritten;
                }

                if (i % 5000 == 0)
                {
                    await Task.Yield();
                }

                yield return SampleLeadRows.MarketplaceInstall with { Id = i, FirstName = $"Lead {i}", Description = "a, \"quoted\"\r\nvalue" };
            }
        }

        var written = await CsvExportWriter.WriteAsync(Compile(NameCompanyDescription()), Generate(), output, CancellationToken.None);

        Assert.Equal(rows, written);
        Assert.True(bytesSeenBeforeLastRow > 0, "nothing reached the stream before the source ended");
        // Each record ends with CRLF and has one more CRLF inside its quoted Description.
        Assert.Equal(1 + (2 * rows), output.CrLfCount);
    }

    [Fact]
    public async Task Cancelling_stops_the_export()
    {
        using var cts = new CancellationTokenSource();
        var rows = Enumerable.Range(1, 10).Select(i => Lead($"Lead {i}"));

        async IAsyncEnumerable<LeadRow> CancelAfterThree([EnumeratorCancellation] CancellationToken ct = default)
        {
            var n = 0;
            await foreach (var row in SampleLeadRows.ToAsync(rows, ct))
            {
                if (++n == 3)
                {
                    await cts.CancelAsync();
                }

                yield return row;
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CsvExportWriter.WriteAsync(Compile(NameCompanyDescription()), CancelAfterThree(), new MemoryStream(), cts.Token));
    }

    [Fact]
    public async Task A_failure_while_reading_ahead_fails_the_export_with_that_error()
    {
        async IAsyncEnumerable<LeadRow> BreakAfter600([EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 1; i <= 600; i++)
            {
                await Task.Yield();
                yield return Lead($"Lead {i}");
            }

            throw new InvalidOperationException("the database went away");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CsvExportWriter.WriteAsync(Compile(NameCompanyDescription()), BreakAfter600(), new MemoryStream(), CancellationToken.None));
        Assert.Equal("the database went away", error.Message);
    }

    [Fact]
    public async Task A_failed_write_stops_the_reading_ahead()
    {
        var readerStopped = new TaskCompletionSource();
        var produced = 0;

        async IAsyncEnumerable<LeadRow> Endless([EnumeratorCancellation] CancellationToken ct = default)
        {
            try
            {
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    await Task.Yield();
                    produced++;
                    yield return Lead($"Lead {produced}");
                }
            }
            finally
            {
                readerStopped.TrySetResult();
            }
        }

        await Assert.ThrowsAsync<IOException>(() =>
            CsvExportWriter.WriteAsync(Compile(NameCompanyDescription()), Endless(), new BrokenStream(), CancellationToken.None));
        Assert.True(readerStopped.Task.IsCompleted, "the reader was still reading after the export failed");
        Assert.True(produced < 10_000, $"the reader ran {produced} rows ahead");
    }

    /// <summary>A response whose client hung up: every write fails.</summary>
    private sealed class BrokenStream : MemoryStream
    {
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("connection reset");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("connection reset");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("connection reset");
    }

    /// <summary>A write-only stream that, like an ASP.NET Core response body, refuses synchronous I/O, and counts what it gets.</summary>
    private sealed class AsyncOnlyStream : Stream
    {
        private byte _last;

        public long BytesWritten { get; private set; }

        public int CrLfCount { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new InvalidOperationException("Synchronous writes are not allowed.");

        public override void Flush() => throw new InvalidOperationException("Synchronous flushes are not allowed.");

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            foreach (var b in buffer.Span)
            {
                if (b == (byte)'\n' && _last == (byte)'\r')
                {
                    CrLfCount++;
                }

                _last = b;
            }

            BytesWritten += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
