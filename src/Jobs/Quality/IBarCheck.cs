using Ktrdr.Backends;

namespace Ktrdr.Jobs.Quality;

/// <summary>One streaming check of a series: fed every bar once, in time order; memory does not grow with the series.</summary>
internal interface IBarCheck
{
    void Add(in Bar bar);

    /// <summary>The series has ended: report what is still open.</summary>
    void Finish();
}
