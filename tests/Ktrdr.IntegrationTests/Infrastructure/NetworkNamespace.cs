using System.Diagnostics;
using System.Globalization;

namespace Ktrdr.Tests.Infrastructure;

/// <summary>
/// A throwaway network namespace joined to this one by a veth pair: a second host on this machine, so that a test can
/// send a real TCP request from a non-loopback address. Traffic never leaves the pair. Needs root (CI and the
/// developers' machines run as root); fails, never skips, when it cannot be made.
/// </summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name, string hostAddress, string guestAddress) =>
        (Name, HostAddress, GuestAddress) = (name, hostAddress, guestAddress);

    public string Name { get; }

    /// <summary>This side's address on the pair (where a server here listens).</summary>
    public string HostAddress { get; }

    /// <summary>The namespace's address: the remote peer a server here sees.</summary>
    public string GuestAddress { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        // Unique per process, so that test runs of several worktrees on one machine do not collide.
        var id = Environment.ProcessId % 60000;
        var name = $"ktrdr{id}";
        var (host, guest) = ($"kh{id}", $"kg{id}");
        var prefix = $"10.{213 + id / 16384}.{id / 64 % 256}.{id % 64 * 4}";
        var network = prefix[..prefix.LastIndexOf('.')];
        var last = int.Parse(prefix[(prefix.LastIndexOf('.') + 1)..], CultureInfo.InvariantCulture);
        var (hostAddress, guestAddress) = ($"{network}.{last + 1}", $"{network}.{last + 2}");
        try
        {
            await IpAsync("netns", "delete", name); // left over by a killed run of this process id
        }
        catch (InvalidOperationException)
        {
        }

        await IpAsync("netns", "add", name);
        var created = new NetworkNamespace(name, hostAddress, guestAddress);
        try
        {
            await IpAsync("link", "add", host, "type", "veth", "peer", "name", guest);
            await IpAsync("link", "set", guest, "netns", name);
            await IpAsync("addr", "add", $"{hostAddress}/30", "dev", host);
            await IpAsync("link", "set", host, "up");
            await IpAsync("netns", "exec", name, "ip", "addr", "add", $"{guestAddress}/30", "dev", guest);
            await IpAsync("netns", "exec", name, "ip", "link", "set", guest, "up");
            await IpAsync("netns", "exec", name, "ip", "link", "set", "lo", "up");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a command inside the namespace and returns its standard output.</summary>
    public Task<string> ExecAsync(params string[] command) => IpAsync(["netns", "exec", Name, .. command]);

    public async ValueTask DisposeAsync() => await IpAsync("netns", "delete", Name); // takes the veth pair with it

    private static async Task<string> IpAsync(params string[] ipArguments)
    {
        var info = new ProcessStartInfo("ip", ipArguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot run ip (install iproute2)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"ip {string.Join(' ', ipArguments)} exited {process.ExitCode}: {await stderr} (network namespaces need root and iproute2)");
        }

        return await stdout;
    }
}
