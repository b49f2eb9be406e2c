using Ktrdr.Jobs;

namespace Ktrdr.Worker.Hosting;

/// <summary>What the Migration page shows: the latest runs (newest first) and every file of the newest one.</summary>
/// <param name="Runs">The latest runs, newest first.</param>
/// <param name="Items">The files of <c>Runs[0]</c>.</param>
/// <param name="Now">When the data was read (UTC): the end of a running file's rate.</param>
internal sealed record MigrationPageModel(IReadOnlyList<MigrationRun> Runs, IReadOnlyList<MigrationItem> Items, DateTime Now)
{
    /// <summary>The data-quality checks of <c>Runs[0]</c>'s verification.</summary>
    public IReadOnlyList<Jobs.Quality.QualitySummary> Quality { get; init; } = [];

    /// <summary>The form field that carries the anti-forgery token (null when the host has no anti-forgery).</summary>
    public string? AntiforgeryField { get; init; }
}
