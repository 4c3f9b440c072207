using System.Text;
using HazaraMonitor.Core.Hashtags;
using HazaraMonitor.Worker.Platforms.Bluesky;

namespace HazaraMonitor.Tests.Platforms;

public sealed class BlueskyParsingTests
{
    // "آموزش جرم نیست #نسل_کشی_هزاره #StopHazaraGenocide": every Persian letter is two UTF-8 bytes.
    private const string PersianText = "\u0622\u0645\u0648\u0632\u0634 \u062C\u0631\u0645 \u0646\u06CC\u0633\u062A #\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647 #StopHazaraGenocide";

    private static string Event(string record) =>
        """{"did":"did:plc:abc","time_us":1779719009157119,"kind":"commit","commit":{"rev":"3mm","operation":"create","collection":"app.bsky.feed.post","rkey":"3mmoojp4cd223","record":"""
        + record + ""","cid":"bafy"}}""";

    private static (int Start, int End) ByteSpan(string text, string part)
    {
        var at = text.IndexOf(part, StringComparison.Ordinal);
        var start = Encoding.UTF8.GetByteCount(text.AsSpan(0, at));
        return (start, start + Encoding.UTF8.GetByteCount(part));
    }

    [Fact]
    public void ReadsAPostsAtUriTimeAndTagFacets()
    {
        var item = JetstreamClient.Parse(Encoding.UTF8.GetBytes(Event("""
            {"$type":"app.bsky.feed.post","createdAt":"2026-05-25T14:23:28.757Z","langs":["en"],"text":"Justice #StopHazaraGenocide",
             "facets":[{"index":{"byteStart":8,"byteEnd":27},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"StopHazaraGenocide"}]}]}
            """)));

        Assert.Equal(1779719009157119, item.TimeUs);
        var post = Assert.IsType<HazaraMonitor.Core.Posts.Post>(item.Post);
        Assert.Equal("at://did:plc:abc/app.bsky.feed.post/3mmoojp4cd223", post.Id);
        Assert.Equal("did:plc:abc", post.AuthorId);
        Assert.Equal("en", post.Language);
        Assert.Equal(new DateTimeOffset(2026, 5, 25, 14, 23, 28, 757, TimeSpan.Zero), post.CreatedAt);
        Assert.Equal(["stophazaragenocide"], post.Hashtags);
    }

    [Fact]
    public void CutsAFacetWithoutATagValueByUtf8ByteOffsets()
    {
        var (start, end) = ByteSpan(PersianText, "#\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647");
        var slice = BlueskyPosts.Slice(PersianText, new BlueskyByteSlice { ByteStart = start, ByteEnd = end });

        Assert.Equal("#\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647", slice);
        // The same numbers as string indexes would cut somewhere else entirely.
        Assert.NotEqual(slice, PersianText[start..Math.Min(end, PersianText.Length)]);
        Assert.Null(BlueskyPosts.Slice(PersianText, new BlueskyByteSlice { ByteStart = 10, ByteEnd = 10_000 }));

        var item = JetstreamClient.Parse(Encoding.UTF8.GetBytes(Event($$"""
            {"text":"{{PersianText}}","createdAt":"2026-05-25T14:23:28.757Z",
             "facets":[{"index":{"byteStart":{{start}},"byteEnd":{{end}}},"features":[{"$type":"app.bsky.richtext.facet#tag","tag":""}]}]}
            """)));
        Assert.Contains(HashtagNormalizer.Normalize("\u0646\u0633\u0644_\u06A9\u0634\u06CC_\u0647\u0632\u0627\u0631\u0647"), item.Post!.Hashtags);
    }

    [Fact]
    public void FindsHashtagsInTagsAndInTextWithoutFacets()
    {
        var tagsOnly = JetstreamClient.Parse(Encoding.UTF8.GetBytes(Event("""{"text":"No hashtag in the text","createdAt":"2026-05-25T14:23:28Z","tags":["#HazaraGenocide","StopKillingHazaras"]}""")));
        var textOnly = JetstreamClient.Parse(Encoding.UTF8.GetBytes(Event("""{"text":"Written by a client without facets #StopHazaraKilling","createdAt":"2026-05-25T14:23:28Z"}""")));

        Assert.Equal(["hazaragenocide", "stopkillinghazaras"], tagsOnly.Post!.Hashtags);
        Assert.Equal(["stophazarakilling"], textOnly.Post!.Hashtags);
    }

    [Fact]
    public void TakesTheNetworksTimeWhenTheClientsClockIsAhead()
    {
        var item = JetstreamClient.Parse(Encoding.UTF8.GetBytes(Event("""{"text":"#StopHazaraGenocide","createdAt":"2030-01-01T00:00:00Z"}""")));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1779719009157), item.Post!.CreatedAt);
    }

    [Fact]
    public void KeepsTheCursorOfEventsThatAreNotNewPosts()
    {
        var delete = JetstreamClient.Parse(Encoding.UTF8.GetBytes("""{"did":"did:plc:abc","time_us":1779719009157120,"kind":"commit","commit":{"rev":"3mm","operation":"delete","collection":"app.bsky.feed.post","rkey":"3mm"}}"""));
        var identity = JetstreamClient.Parse(Encoding.UTF8.GetBytes("""{"did":"did:plc:g4u","time_us":1779719010267528,"kind":"identity","identity":{"did":"did:plc:g4u","seq":30340180350,"time":"2026-05-25T14:23:29.950Z"}}"""));

        Assert.Equal(new JetstreamItem(1779719009157120, null), delete);
        Assert.Equal(new JetstreamItem(1779719010267528, null), identity);
    }

    [Fact]
    public void CallsABrokenFrameMalformed()
    {
        var broken = Assert.Throws<PlatformRequestException>(() => JetstreamClient.Parse(Encoding.UTF8.GetBytes("""{"did":"did:plc:abc","time_us":17797""")));
        var noCursor = Assert.Throws<PlatformRequestException>(() => JetstreamClient.Parse(Encoding.UTF8.GetBytes("""{"did":"did:plc:abc","kind":"identity"}""")));

        Assert.Equal(PollOutcome.Malformed, broken.Outcome);
        Assert.Equal(PollOutcome.Malformed, noCursor.Outcome);
    }

    [Fact]
    public void SubscribesToPostsFromACursor()
    {
        Assert.Equal("wss://jetstream2.us-east.bsky.network/subscribe?wantedCollections=app.bsky.feed.post&cursor=1779719009157119",
            JetstreamClient.SubscribeUri("wss://jetstream2.us-east.bsky.network/subscribe", 1779719009157119).ToString());
        Assert.Equal("ws://127.0.0.1:5081/jetstream/subscribe?compress=false&wantedCollections=app.bsky.feed.post",
            JetstreamClient.SubscribeUri("ws://127.0.0.1:5081/jetstream/subscribe?compress=false", null).ToString());
    }

    [Fact]
    public void ReadsASearchPageAndItsNewestIndexTime()
    {
        var page = BlueskySearchClient.ParsePage(Encoding.UTF8.GetBytes("""
            {"cursor":"25","hitsTotal":1834,"posts":[
              {"uri":"at://did:plc:a/app.bsky.feed.post/2","cid":"b","author":{"did":"did:plc:a","handle":"a.bsky.social"},
               "record":{"$type":"app.bsky.feed.post","text":"#StopHazaraGenocide","createdAt":"2026-05-25T14:23:28.757Z"},
               "likeCount":11,"repostCount":2,"replyCount":1,"quoteCount":0,"indexedAt":"2026-05-25T14:23:30.100Z"},
              {"uri":"at://did:plc:b/app.bsky.feed.post/1","cid":"c","author":{"did":"did:plc:b","handle":"b.bsky.social"},
               "record":{"$type":"app.bsky.feed.post","text":"#HazaraGenocide","createdAt":"2026-05-25T14:23:20Z"},"indexedAt":"2026-05-25T14:23:29.100Z"}]}
            """), RateLimitInfo.None);

        Assert.Equal("25", page.NextPage);
        Assert.Equal("2026-05-25T14:23:30.100Z", page.Newest);
        Assert.Equal(["at://did:plc:a/app.bsky.feed.post/2", "at://did:plc:b/app.bsky.feed.post/1"], page.Posts.Select(p => p.Id));
        Assert.Equal(11, page.Posts[0].Engagement.Likes);
    }
}
