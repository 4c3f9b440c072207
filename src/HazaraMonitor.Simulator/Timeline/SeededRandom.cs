namespace HazaraMonitor.Simulator.Timeline;

/// <summary>
/// The random source of one simulated minute, derived from the seed alone, so the same seed serves
/// the same posts in every process (<see cref="HashCode.Combine{T1,T2}"/> is randomised per process).
/// </summary>
internal static class SeededRandom
{
    /// <param name="seed">The simulator's seed.</param>
    /// <param name="minute">Minutes into the timeline.</param>
    /// <param name="stream">Which of the minute's independent streams (the timeline 0, Bluesky's noise 1).</param>
    public static Random For(int seed, long minute, int stream = 0)
    {
        // SplitMix64's finaliser over the three inputs: nearby minutes get unrelated seeds.
        var x = unchecked(((ulong)(uint)seed << 32) ^ (ulong)minute ^ ((ulong)stream << 56));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return new Random(unchecked((int)x));
    }
}
