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
}
