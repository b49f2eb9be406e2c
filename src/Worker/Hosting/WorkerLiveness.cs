namespace Ktrdr.Worker.Hosting;

/// <summary>
/// When a Hangfire server counts as a live worker. A killed process leaves its server record behind (Hangfire's own
/// timeout is five minutes), so "is a worker running?" is answered from recent heartbeats only: every server of ours
/// beats every <see cref="HeartbeatInterval"/>, and one silent for <see cref="DeadAfter"/> is dead.
/// </summary>
internal static class WorkerLiveness
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(30);

    /// <summary>Whether a heartbeat at <paramref name="heartbeat"/> (UTC) is recent enough for a live server.</summary>
    public static bool IsAlive(DateTime? heartbeat, DateTime utcNow) => heartbeat is { } beat && utcNow - beat < DeadAfter;
}
