using HazaraMonitor.Worker.Polling;

namespace HazaraMonitor.Tests.Polling;

public sealed class PollStatusBoardTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2022, 9, 30, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void BlocksARateLimitedEndpointUntilItsResetOnly()
    {
        var board = new PollStatusBoard(_time);

        board.WaitUntil(XPlatform.Id, "search", _time.GetUtcNow().AddSeconds(90));

        Assert.Equal(PollOutcome.RateLimited, board.Blocked(XPlatform.Id, "search", "x")?.Outcome);
        Assert.Null(board.Blocked(XPlatform.Id, "counts", "x"));
        _time.Advance(TimeSpan.FromSeconds(90));
        Assert.Null(board.Blocked(XPlatform.Id, "search", "x"));
    }

    [Fact]
    public void KeepsTheLaterOfTwoResets()
    {
        var board = new PollStatusBoard(_time);

        board.WaitUntil(XPlatform.Id, "search", _time.GetUtcNow().AddMinutes(15));
        board.WaitUntil(XPlatform.Id, "search", _time.GetUtcNow().AddMinutes(1));
        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.NotNull(board.Blocked(XPlatform.Id, "search", "x"));
    }

    [Fact]
    public void StopsEveryEndpointOfAPlatformThatRefusedItsCredentials()
    {
        var board = new PollStatusBoard(_time);

        board.AuthFailed(XPlatform.Id, "x", "401");
        _time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(PollOutcome.AuthFailed, board.Blocked(XPlatform.Id, "search", "x")?.Outcome);
        Assert.Equal(PollOutcome.AuthFailed, board.Blocked(XPlatform.Id, "counts", "x")?.Outcome);
    }
}
