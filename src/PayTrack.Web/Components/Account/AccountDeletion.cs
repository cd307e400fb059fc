using Npgsql;
using PayTrack.Web.Sync;
using PayTrack.Web.Timecards;

namespace PayTrack.Web.Components.Account;

/// <summary>
/// Deletes an account with all of its data, in one transaction. Every table with a <c>user_id</c> column is found in
/// the database's own catalog, so a table added later is covered without touching this class; rows are deleted from
/// dependent tables before the tables they reference, and the account itself last.
/// </summary>
public sealed class AccountDeletion(NpgsqlDataSource dataSource, CatchupEntries catchupEntries)
{
    private const string TablesSql = """
        SELECT c.oid::regclass::text AS name,
               coalesce(array_agg(f.confrelid::regclass::text) FILTER (WHERE f.confrelid IS NOT NULL AND f.confrelid <> c.oid), '{}') AS references
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped
        LEFT JOIN pg_constraint f ON f.conrelid = c.oid AND f.contype = 'f'
        WHERE c.relkind IN ('r', 'p')
        GROUP BY c.oid
        """;

    /// <summary>Returns the number of rows deleted (the account included); 0 when there was no such account.</summary>
    public async Task<int> DeleteAsync(string userId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The timecard's writers take this lock too: no ingest can add rows for the account while it goes.
        await TimecardDatabase.LockUserAsync(connection, userId, cancellationToken);

        var tables = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(TablesSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables[reader.GetString(0)] = reader.GetFieldValue<string[]>(1);
            }
        }

        var deleted = 0;
        foreach (var table in DependentsFirst(tables))
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE user_id = $1", connection, transaction);
            delete.Parameters.Add(new NpgsqlParameter { Value = userId });
            deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        string? email;
        await using (var user = new NpgsqlCommand("DELETE FROM identity_users WHERE id = $1 RETURNING coalesce(email, user_name)", connection, transaction))
        {
            user.Parameters.Add(new NpgsqlParameter { Value = userId });
            email = await user.ExecuteScalarAsync(cancellationToken) as string;
            if (email is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return 0;
            }

            deleted++;
        }

        await transaction.CommitAsync(cancellationToken);
        // The account's "Trigger now" entry on the Hangfire Dashboard goes with it.
        catchupEntries.Remove(email);
        return deleted;
    }

    /// <summary>Tables ordered so that one referencing another comes before it.</summary>
    internal static List<string> DependentsFirst(IReadOnlyDictionary<string, string[]> references)
    {
        var order = new List<string>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal);

        void Visit(string table)
        {
            if (state.TryGetValue(table, out var done))
            {
                if (!done)
                {
                    throw new InvalidOperationException($"Foreign keys form a cycle through {table}.");
                }

                return;
            }

            state[table] = false;
            // Visit what references this table first: those rows must go before this table's.
            foreach (var (other, targets) in references)
            {
                if (targets.Contains(table, StringComparer.Ordinal))
                {
                    Visit(other);
                }
            }

            state[table] = true;
            order.Add(table);
        }

        foreach (var table in references.Keys.Order(StringComparer.Ordinal))
        {
            Visit(table);
        }

        return order;
    }
}
