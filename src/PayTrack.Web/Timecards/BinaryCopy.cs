using Npgsql;
using NpgsqlTypes;

namespace PayTrack.Web.Timecards;

/// <summary>Writing a value that may be null into a binary COPY row.</summary>
internal static class BinaryCopy
{
    internal static ValueTask WriteAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? new ValueTask(writer.WriteAsync(v, type, cancellationToken)) : new ValueTask(writer.WriteNullAsync(cancellationToken));

    internal static ValueTask WriteAsync(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? new ValueTask(writer.WriteNullAsync(cancellationToken)) : new ValueTask(writer.WriteAsync(value, type, cancellationToken));
}
