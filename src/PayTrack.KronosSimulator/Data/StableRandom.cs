namespace PayTrack.KronosSimulator.Data;

/// <summary>
/// A small seeded generator (SplitMix64) with our own string hash: System.Random's sequence and string.GetHashCode
/// are not promised to stay the same across runtimes, and the simulator's data must be the same on every machine.
/// </summary>
internal sealed class StableRandom(ulong seed)
{
    private ulong _state = seed;

    public static ulong Hash(string text)
    {
        // FNV-1a over UTF-16 code units.
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return hash;
    }

    public static ulong Mix(ulong a, ulong b) => Finalize(a ^ Finalize(b + 0x9E3779B97F4A7C15UL));

    public static ulong Mix(ulong a, ulong b, ulong c) => Mix(Mix(a, b), c);

    public static ulong Mix(ulong a, ulong b, ulong c, ulong d) => Mix(Mix(a, b, c), d);

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Finalize(_state);
    }

    /// <summary>An integer in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>An integer in [minInclusive, maxInclusive].</summary>
    public int Between(int minInclusive, int maxInclusive) => minInclusive + Next(maxInclusive - minInclusive + 1);

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => NextDouble() < probability;

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
