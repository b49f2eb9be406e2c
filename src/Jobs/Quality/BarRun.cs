namespace Ktrdr.Jobs.Quality;

/// <summary>A run of consecutive bars that share a property: where it started, where it is, how long it is.</summary>
internal struct BarRun
{
    public DateTime Start;
    public DateTime Last;
    public long Length;

    /// <summary>Extends the run with a bar that has the property, or starts one.</summary>
    public void Extend(DateTime time)
    {
        if (Length == 0)
        {
            Start = time;
        }

        Last = time;
        Length++;
    }
}
