using LeadPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LeadPortal.Tests.Intake;

public sealed class StorePragmaTests
{
    [Fact]
    public async Task Every_connection_commits_with_synchronous_full()
    {
        using var store = new TestStore();
        await using var db = store.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();

        command.CommandText = "PRAGMA synchronous";
        var synchronous = Convert.ToInt32(await command.ExecuteScalarAsync());

        Assert.Equal(2, synchronous); // 2 = FULL
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_database_and_its_wal_are_readable_by_their_owner_only()
    {
        await using var app = new LeadPortalFactory();
        Assert.Equal(System.Net.HttpStatusCode.Created, (await app.CreateClient().PostLeadAsync(SampleLeads.Unique())).StatusCode);

        foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal", app.DatabasePath + "-shm" })
        {
            Assert.True(File.Exists(file), file);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_database_left_readable_by_others_is_closed_to_them_at_start()
    {
        var path = TempDatabase.NewPath();
        await File.WriteAllBytesAsync(path, []);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // rw-r--r--

        await using var app = new LeadPortalFactory(path);
        _ = app.CreateClient();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
