using HazaraMonitor.Core.Hashtags;

namespace HazaraMonitor.Tests.Hashtags;

public sealed class BoundedLabelSetTests
{
    [Fact]
    public void AThousandDiscoveredHashtagsMakeABoundedLabelSet()
    {
        var labels = new BoundedLabelSet(capacity: 20);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(7);

        for (var i = 0; i < 50_000; i++)
        {
            // A long tail: a few tags are frequent, most are rare.
            var tag = "tag" + (int)(1000 * Math.Pow(random.NextDouble(), 4));
            seen.Add(labels.Observe(tag));
        }

        Assert.True(seen.Count >= 10, $"frequent tags get labels of their own, got {seen.Count}");
        Assert.True(seen.Count <= 21, $"at most 20 labels and 'other', got {seen.Count}");
        Assert.Contains(BoundedLabelSet.Other, seen);
        Assert.Contains("tag0", labels.Labels);
    }

    [Fact]
    public void AOneOffValueNeverGetsALabel()
    {
        var labels = new BoundedLabelSet(capacity: 5, admitAfter: 3);

        Assert.Equal(BoundedLabelSet.Other, labels.Observe("typo"));
        Assert.Equal(BoundedLabelSet.Other, labels.Observe("kabul"));
        Assert.Equal(BoundedLabelSet.Other, labels.Observe("kabul"));
        Assert.Equal("kabul", labels.Observe("kabul"));
        Assert.Equal("kabul", labels.Observe("kabul"));
        Assert.DoesNotContain("typo", labels.Labels);
    }
}
