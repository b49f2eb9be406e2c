using Ktrdr.Backends.Csv;

namespace Ktrdr.Tests.Backends;

public sealed class CsvBarFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ktrdr-csv-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Task<List<CsvRow>> ReadAsync(string content) => ReadAsync(System.Text.Encoding.UTF8.GetBytes(content));

    private async Task<List<CsvRow>> ReadAsync(byte[] content)
    {
        var path = Path.Combine(_dir, "X_1d.csv");
        await File.WriteAllBytesAsync(path, content);
        using var file = CsvBarFile.Open(path);
        var rows = new List<CsvRow>();
        await foreach (var row in file.ReadAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    [TestCase("timestamp,open,high,low,close,volume")]
    [TestCase("date,open,high,low,close,volume")]
    [TestCase(",open,high,low,close,volume")]
    [TestCase("Date,Open,High,Low,Close,Volume")]
    public async Task Every_header_variant_of_the_platform_loads(string header)
    {
        var rows = await ReadAsync($"{header}\n2023-01-02,1.5,2.5,1.0,2.0,2265000.0\n");
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(rows[0].Kind, Is.EqualTo(CsvRowKind.Bar));
        Assert.That(rows[0].Bar.Volume, Is.EqualTo(2265000.0));
        Assert.That(rows[0].Line, Is.EqualTo(2));
    }

    [Test]
    public async Task The_minus_one_volume_sentinel_is_stored_as_zero_and_flagged()
    {
        var rows = await ReadAsync("timestamp,open,high,low,close,volume\n2023-01-02,1,2,1,2,-1\n");
        Assert.That(rows[0].Bar.Volume, Is.Zero);
        Assert.That(rows[0].VolumeNormalized, Is.True);
    }

    [Test]
    public async Task Bad_lines_are_rejected_with_line_number_raw_text_and_reason_and_good_lines_still_load()
    {
        var rows = await ReadAsync(
            "timestamp,open,high,low,close,volume\n" +
            "2023-01-02,1,2,1,2,10\n" +
            "garbage,1,2,1,2,10\n" +
            "2023-01-03,1,2,1,2,-7\n" +
            "2023-01-04,1,2,1,2\n" +
            "2023-01-05,1,2,1,2,10\n");
        Assert.That(rows.Select(r => r.Kind), Is.EqualTo(new[] { CsvRowKind.Bar, CsvRowKind.Rejected, CsvRowKind.Rejected, CsvRowKind.Rejected, CsvRowKind.Bar }));
        Assert.That(rows[1].Line, Is.EqualTo(3));
        Assert.That(rows[1].RawLine, Is.EqualTo("garbage,1,2,1,2,10"));
        Assert.That(rows[1].Reason, Is.EqualTo("unparseable timestamp"));
        Assert.That(rows[2].Reason, Is.EqualTo("negative volume"));
        Assert.That(rows[3].Reason, Does.Contain("expected 6 fields"));
    }

    [Test]
    public async Task A_repeated_timestamp_is_a_duplicate_when_equal_and_rejected_when_different()
    {
        var rows = await ReadAsync(
            "timestamp,open,high,low,close,volume\n" +
            "2023-01-02,1,2,1,2,10\n" +
            "2023-01-02,1,2,1,2,10\n" +
            "2023-01-02,1,2,1,2,11\n");
        Assert.That(rows.Select(r => r.Kind), Is.EqualTo(new[] { CsvRowKind.Bar, CsvRowKind.Duplicate, CsvRowKind.Rejected }));
        Assert.That(rows[2].Reason, Is.EqualTo("timestamp repeated within the file with different values"));
    }

    [Test]
    public void A_missing_file_fails_naming_the_file()
    {
        var path = Path.Combine(_dir, "NOPE_1d.csv");
        var ex = Assert.Throws<CsvFileException>(() => CsvBarFile.Open(path));
        Assert.That(ex!.Message, Does.Contain(path).And.Contain("not found"));
    }

    [Test]
    public async Task A_header_without_price_columns_fails_naming_the_missing_columns()
    {
        var path = Path.Combine(_dir, "BAD_1d.csv");
        await File.WriteAllTextAsync(path, "timestamp,price,volume\n2023-01-02,1,2\n");
        var ex = Assert.Throws<CsvFileException>(() => CsvBarFile.Open(path));
        Assert.That(ex!.Message, Does.Contain("open, high, low, close"));
    }

    [Test]
    public async Task An_empty_file_fails_with_a_clear_message()
    {
        var path = Path.Combine(_dir, "EMPTY_1d.csv");
        await File.WriteAllTextAsync(path, "");
        var ex = Assert.Throws<CsvFileException>(() => CsvBarFile.Open(path));
        Assert.That(ex!.Message, Does.Contain("empty"));
    }

    [Test]
    public void A_file_of_NUL_bytes_is_refused_as_not_text_after_reading_at_most_a_record()
    {
        var path = Path.Combine(_dir, "NUL_1d.csv");
        using (var stream = File.Create(path))
        {
            stream.SetLength(3 << 20);
        }

        var error = Assert.Throws<CsvFileException>(() => CsvBarFile.Open(path).Dispose());
        Assert.That(error!.Message, Does.StartWith(path).And.Contain("not a CSV text file"));
    }

    [Test]
    public async Task An_overlong_line_in_the_middle_is_refused_as_not_text()
    {
        var path = Path.Combine(_dir, "LONG_1d.csv");
        await File.WriteAllTextAsync(path, "timestamp,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,1\n" + new string('9', 2 << 20) + "\n");
        using var file = CsvBarFile.Open(path);
        var error = Assert.ThrowsAsync<CsvFileException>(async () =>
        {
            await foreach (var _ in file.ReadAsync(CancellationToken.None))
            {
            }
        });
        Assert.That(error!.Message, Does.Contain("not a CSV text file"));
    }

    [Test]
    public void A_directory_in_place_of_the_file_is_said_to_be_one()
    {
        var path = Path.Combine(_dir, "DIR_1d.csv");
        Directory.CreateDirectory(path);
        var error = Assert.Throws<CsvFileException>(() => CsvBarFile.Open(path).Dispose());
        Assert.That(error!.Message, Does.Contain("is a directory"));
    }

    [Test]
    public async Task A_NUL_byte_or_invalid_UTF8_rejects_only_its_line_with_its_bytes_escaped()
    {
        var rows = await ReadAsync([.. "timestamp,open,high,low,close,volume\n2023-01-02,1,2,1,2,10\n2023-01-03,1,"u8, 0x00,
            .. "2,1,2,10\n2023-01-04,1,2,1,2,10,\u00e9x"u8, 0xC3, 0x28, .. "\\\n2023-01-05,1,2,1,2,10\n"u8]);
        Assert.That(rows.Select(r => r.Kind), Is.EqualTo(new[] { CsvRowKind.Bar, CsvRowKind.Rejected, CsvRowKind.Rejected, CsvRowKind.Bar }));
        Assert.That((rows[1].Reason, rows[1].RawLine), Is.EqualTo(("NUL byte in the line", "2023-01-03,1,\\x002,1,2,10")));
        Assert.That((rows[2].Reason, rows[2].RawLine), Is.EqualTo(("invalid UTF-8 in the line", "2023-01-04,1,2,1,2,10,\u00e9x\\xc3(\\\\")));
    }

    [Test]
    public async Task Sub_microsecond_timestamps_are_rejected_and_microseconds_or_trailing_zeros_are_kept()
    {
        var rows = await ReadAsync("timestamp,open,high,low,close,volume\n" +
            "2024-01-01 00:00:00.123456,1,2,1,2,10\n" +
            "2024-01-01 00:00:01.123456789,1,2,1,2,10\n" +
            "2024-01-01 00:00:02.1234567+00:00,1,2,1,2,10\n" +
            "2024-01-01 00:00:03.123456000Z,1,2,1,2,10\n" +
            "2024-01-01 00:00:04.1234560001,1,2,1,2,10\n");
        Assert.That(rows.Select(r => r.Reason), Is.EqualTo(new[]
        {
            null, CsvBarFile.SubMicrosecond, CsvBarFile.SubMicrosecond, null, CsvBarFile.SubMicrosecond,
        }));
        Assert.That(rows[3].Bar.Time, Is.EqualTo(new DateTime(2024, 1, 1, 0, 0, 3, DateTimeKind.Utc).AddTicks(1234560)));
    }

    [Test]
    public async Task A_header_with_a_used_column_twice_fails_naming_it()
    {
        var path = Path.Combine(_dir, "TWICE_1d.csv");
        await File.WriteAllTextAsync(path, "timestamp,open,high,low,close,volume,close\n2023-01-02,1,2,1,2,10,3\n");
        var ex = Assert.Throws<CsvFileException>(() => CsvBarFile.Open(path));
        Assert.That(ex!.Message, Does.StartWith(path).And.Contain("column 'close' twice (columns 5 and 7)"));
    }

    [TestCase(new byte[] { 0x1F, 0x8B, 0x08, 0x00 }, "is gzip-compressed, not CSV text: decompress it (gunzip) first")]
    [TestCase(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14 }, "is a zip archive, not CSV text: extract it (unzip) first")]
    [TestCase(new byte[] { 0xFF, 0xFE, 0x74, 0x00 }, "is UTF-16 text")]
    [TestCase(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00 }, "is binary (9 of its first 51 bytes are NUL), not a CSV text file")]
    public async Task A_compressed_or_binary_file_fails_at_once_saying_what_it_looks_like(byte[] start, string message)
    {
        var path = Path.Combine(_dir, "BIN_1d.csv");
        await File.WriteAllBytesAsync(path, [.. start, .. "timestamp,open,high,low,close,volume\n"u8]);
        var ex = Assert.Throws<CsvFileException>(() => CsvBarFile.Open(path));
        Assert.That(ex!.Message, Does.StartWith(path).And.Contain(message));
    }

    [Test]
    public async Task Lines_with_a_time_but_no_offset_are_counted_as_read_as_UTC()
    {
        var path = Path.Combine(_dir, "NAIVE_1h.csv");
        await File.WriteAllTextAsync(path, "timestamp,open,high,low,close,volume\n2024-01-01,1,2,1,2,10\n2024-01-02 01:00:00,1,2,1,2,10\n" +
            "2024-01-02T02:00:00Z,1,2,1,2,10\n2024-01-02 04:00:00+01:00,1,2,1,2,10\n2024-01-02 5:00:00,1,2,1,2,10\n");
        using var file = CsvBarFile.Open(path);
        var rows = await file.ReadAsync(CancellationToken.None).ToListAsync();
        Assert.That(rows.Select(r => r.Kind), Is.All.EqualTo(CsvRowKind.Bar));
        Assert.That(file.ReadAsUtc, Is.EqualTo(2), "the one without an offset and the rare single-digit form; dates are dates");
    }
}
