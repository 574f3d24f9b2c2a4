namespace Conductor.Grains.Federation;

/// <summary>
/// Counts management heartbeats that went unacknowledged. Each tick first counts the previous heartbeat as missed
/// if no acknowledgement arrived (with no stream, nothing can arrive), then a new one is sent. At
/// <c>threshold</c> consecutive misses the channel is degraded; the next acknowledgement restores it.
/// </summary>
public sealed class HeartBeatMonitor(int threshold)
{
    private bool _awaitingAck;

    public int Missed { get; private set; }

    public bool Degraded { get; private set; }

    /// <summary>A heartbeat interval passed; returns true when this made the channel degraded.</summary>
    public bool Tick()
    {
        if (_awaitingAck)
        {
            Missed++;
        }

        _awaitingAck = true;
        if (Missed >= threshold && !Degraded)
        {
            Degraded = true;
            return true;
        }

        return false;
    }

    /// <summary>The tenant acknowledged; returns true when this restored a degraded channel.</summary>
    public bool Acked()
    {
        _awaitingAck = false;
        Missed = 0;
        var restored = Degraded;
        Degraded = false;
        return restored;
    }
}
