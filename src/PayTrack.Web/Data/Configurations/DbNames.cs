using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PayTrack.Web.Data.Configurations;

/// <summary>
/// Enums are stored as snake_case text ("missing_out"), the same words the CSV and the hand-written SQL of the
/// ingest use, so a reader of the database needs no lookup table.
/// </summary>
public static class DbNames
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Cache<TEnum>.Names[value];

    public static TEnum Parse<TEnum>(string name)
        where TEnum : struct, Enum =>
        Cache<TEnum>.Values.TryGetValue(name, out var value) ? value : throw new FormatException($"'{name}' is not a {typeof(TEnum).Name}.");

    internal static ValueConverter<TEnum, string> Converter<TEnum>()
        where TEnum : struct, Enum => new(v => Of(v), s => Parse<TEnum>(s));

    private static class Cache<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(v => v, v => SnakeCaseNames.ToSnake(v.ToString()));

        public static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
