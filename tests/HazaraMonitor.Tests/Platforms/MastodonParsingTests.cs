using System.Text;
using HazaraMonitor.Worker.Platforms.Mastodon;

namespace HazaraMonitor.Tests.Platforms;

public sealed class MastodonParsingTests
{
    private static MastodonPage Parse(string json, string? prevMinId = null) =>
        MastodonClient.ParsePage("mastodon.social", Encoding.UTF8.GetBytes(json), prevMinId, RateLimitInfo.None);

    [Fact]
    public void KeysAStatusByItsUriAndQualifiesLocalAuthors()
    {
        var page = Parse("""
            [{"id":"108914430312582020","created_at":"2022-08-30T23:31:58.006Z","language":"fa",
              "uri":"https://mastodon.social/users/trwnh/statuses/108914430312582020",
              "content":"<p>Justice &amp; truth <a href=\"https://mastodon.social/tags/stophazaragenocide\" class=\"mention hashtag\" rel=\"tag\">#<span>StopHazaraGenocide</span></a></p>",
              "account":{"acct":"trwnh"},"tags":[{"name":"stophazaragenocide"}],"favourites_count":3,"reblogs_count":2}]
            """, prevMinId: "108914430312582020");

        var post = Assert.Single(page.Posts);
        Assert.Equal("https://mastodon.social/users/trwnh/statuses/108914430312582020", post.Id);
        Assert.Equal("trwnh@mastodon.social", post.AuthorId);
        Assert.Equal("Justice & truth #StopHazaraGenocide", post.Text);
        Assert.Equal(["stophazaragenocide"], post.Hashtags);
        Assert.Equal(3, post.Engagement.Likes);
        Assert.Equal("108914430312582020", page.MinId);
        Assert.False(page.Full);
    }

    [Fact]
    public void QualifiesALocalAuthorWithTheDomainOtherInstancesKnowItBy()
    {
        // Read through an API address that is not the account's domain (a proxy, the simulator): the same person
        // must read the same here as in the federated copy elsewhere ("alice@a.example").
        var page = Parse("""[{"id":"2","uri":"https://a.example/users/alice/statuses/2","created_at":"2022-10-01T00:00:00Z","account":{"acct":"alice"},"tags":[]}]""");

        Assert.Equal("alice@a.example", Assert.Single(page.Posts).AuthorId);
    }

    [Fact]
    public void KeepsARemoteAuthorsAcctAsItIs()
    {
        var page = Parse("""[{"id":"2","uri":"https://a.example/s/2","created_at":"2022-10-01T00:00:00Z","account":{"acct":"alice@a.example"},"tags":[]}]""");

        Assert.Equal("alice@a.example", Assert.Single(page.Posts).AuthorId);
        // No Link header: the newest id of the page is the next min_id.
        Assert.Equal("2", page.MinId);
    }

    [Theory]
    [InlineData("""[{"id":"1","created_at":"2022-10-01T00:00:00Z"}""")]
    [InlineData("""[{"id":"1","created_at":"2022-10-01T00:00:00Z"}]""")]
    [InlineData("""{"error":"not a list"}""")]
    public void CallsABrokenTimelineMalformed(string json)
    {
        var failure = Assert.Throws<PlatformRequestException>(() => Parse(json));

        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }

    [Fact]
    public void ReadsATagsHistoryWhoseNumbersAreStrings()
    {
        var history = MastodonClient.ParseHistory("mastodon.social", Encoding.UTF8.GetBytes("""
            {"id":"802","name":"Caturday","history":[{"day":"1668556800","accounts":"0","uses":"0"},{"day":"1668297600","accounts":"1","uses":"3"}]}
            """));

        Assert.Equal([new MastodonTagUse(DateTimeOffset.FromUnixTimeSeconds(1668556800), 0, 0), new MastodonTagUse(DateTimeOffset.FromUnixTimeSeconds(1668297600), 3, 1)], history);
        var failure = Assert.Throws<PlatformRequestException>(() => MastodonClient.ParseHistory("m", Encoding.UTF8.GetBytes("""{"history":[{"day":"x","uses":"1","accounts":"1"}]}""")));
        Assert.Equal(PollOutcome.Malformed, failure.Outcome);
    }

    [Fact]
    public void TurnsATimeIntoASnowflakeLowerBound()
    {
        var time = new DateTimeOffset(2022, 9, 30, 3, 0, 0, TimeSpan.Zero);

        Assert.Equal((time.ToUnixTimeMilliseconds() << 16).ToString(System.Globalization.CultureInfo.InvariantCulture), MastodonIds.At(time));
    }
}
