using Hangfire;
using Ktrdr.Backends;
using Ktrdr.Backends.Csv;
using Ktrdr.Backends.Telemetry;
using Ktrdr.Jobs.Telemetry;

namespace Ktrdr.Jobs;

/// <summary>Finds the files of a migration, and starts a run: the run's rows, then one import job per file.</summary>
public sealed class MigrationPlanner(ICsvCatalog catalog, MigrationRunStore store, IBackgroundJobClient jobs, RunCompletion completion)
{
    /// <summary>
    /// Lists the matching <c>SYMBOL_TIMEFRAME.csv</c> files and estimates their rows from a sample of each. Entries that
    /// cannot be read (symbolic link loops, dangling links, links out of the data directory unless
    /// <see cref="MigrationRequest.FollowSymlinks"/>, unreadable files) and compressed files are skipped with their
    /// reason, so that the other files go on.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The data directory does not exist.</exception>
    public MigrationPlan Plan(MigrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = KtrdrActivity.Source.StartActivity(JobPlatformSpans.DiscoverSymbols);
        activity?.SetTag("csv_import.data_dir", request.DataDir);
        var plan = PlanCore(request);
        activity?.SetTag(JobPlatformSpans.TotalSymbols, plan.Files.Select(f => f.Symbol).Distinct(StringComparer.Ordinal).Count());
        activity?.SetTag(JobSpans.Files, plan.Files.Count);
        activity?.SetTag("csv_import.files_skipped", plan.Skipped.Count);
        activity?.SetTag(JobPlatformSpans.WarningsCount, plan.Warnings.Count);
        return plan;
    }

    private MigrationPlan PlanCore(MigrationRequest request)
    {
        var series = catalog.ListFiles(request.DataDir);
        var named = series.Select(f => Path.GetFileName(f.Path)).ToHashSet(StringComparer.Ordinal);
        var skipped = Directory.EnumerateFiles(request.DataDir, "*.csv").Select(Path.GetFileName).OfType<string>()
            .Where(name => !named.Contains(name))
            .Select(name => new SkippedFile(name, "name is not SYMBOL_TIMEFRAME.csv with a valid symbol (letters, digits, . _ - ^ = & +) and timeframe (such as 5m, 1h, 1d): rename it to import it"))
            .Concat(Directory.EnumerateFiles(request.DataDir, "*.csv.*").Select(Path.GetFileName).OfType<string>()
                .Select(name => (name, what: CsvEntryCheck.CompressedName(name)))
                .Where(x => x.what is not null)
                .Select(x => new SkippedFile(x.name, x.what!)))
            .ToList();
        var files = new List<PlannedFile>();
        foreach (var (key, file) in series.Where(f => f.Key.IsSelectedBy(request.Symbols, request.Timeframes)))
        {
            var path = Path.GetFullPath(file);
            var problem = CsvEntryCheck.Problem(request.DataDir, path, request.FollowSymlinks);
            if (problem is not null)
            {
                skipped.Add(new SkippedFile(Path.GetFileName(path), problem));
                continue;
            }

            try
            {
                var size = new FileInfo(path).Length;
                files.Add(new PlannedFile(key.Symbol, key.Timeframe, path, size, EstimateRows(path, size)));
            }
            catch (IOException ex)
            {
                skipped.Add(new SkippedFile(Path.GetFileName(path), $"cannot be read ({ex.Message}): fix or remove it"));
            }
            catch (UnauthorizedAccessException ex)
            {
                skipped.Add(new SkippedFile(Path.GetFileName(path), $"cannot be read ({ex.Message}): fix its permissions"));
            }
        }

        return new MigrationPlan(request, files)
        {
            Skipped = [.. skipped.OrderBy(f => f.Name, StringComparer.Ordinal)],
            Warnings = SymbolCaseWarnings.Of(files.Select(f => f.Symbol)),
        };
    }

    /// <summary>Creates the run and enqueues one import job per file (job arguments are ids, not data).</summary>
    /// <returns>The run id.</returns>
    public Task<long> StartAsync(MigrationPlan plan, CancellationToken cancellationToken) =>
        StartAsync(plan, static (step, ct) => step(ct), cancellationToken);

    /// <summary>
    /// As above, each of its two steps (creating the run; enqueuing its jobs) run through <paramref name="retry"/>, which
    /// may run a step again after a database fault: enqueuing is safe to repeat (it enqueues only the items without a
    /// job), and a run whose creation committed unseen is finished by <see cref="RunWatchdogJob"/>.
    /// </summary>
    /// <exception cref="Npgsql.NpgsqlException">The database failed and <paramref name="retry"/> gave up.</exception>
    public async Task<long> StartAsync(MigrationPlan plan, Func<Func<CancellationToken, Task>, CancellationToken, Task> retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(retry);
        var request = plan.Request;

        // The import jobs carry this span's context (HangfireTracingFilter), so the whole run is one trace.
        using var activity = KtrdrActivity.Start(JobSpans.MigrationRun, System.Diagnostics.ActivityKind.Producer);
        activity?.SetTag(JobSpans.Files, plan.Files.Count);
        long runId = 0;
        await retry(async ct => runId = (await store.CreateRunAsync(Path.GetFullPath(request.DataDir), Path.GetFullPath(request.ReportDir),
            request.Timeframes, request.Symbols, plan.Files.Select(f => (f.Symbol, f.Timeframe, f.Path, f.Size)).ToList(), request.Range, plan.RetentionCutoff, ct)).RunId, cancellationToken);
        activity?.SetTag(JobSpans.RunId, runId);
        await retry(ct => EnqueueAsync(runId, ct), cancellationToken);
        if (plan.Files.Count == 0)
        {
            await retry(ct => completion.ItemFinishedAsync(runId, ct), cancellationToken);
        }

        return runId;
    }

    /// <summary>Enqueues the import of each item of run <paramref name="runId"/> that has no job yet; idempotent.</summary>
    private async Task EnqueueAsync(long runId, CancellationToken cancellationToken)
    {
        foreach (var item in (await store.GetItemsAsync(runId, cancellationToken)).Where(i => i.JobId is null && !i.IsFinal))
        {
            // A crash between here and the end of the loop leaves items without a job; RunWatchdogJob enqueues them.
            var jobId = EnqueueOrThrowDatabaseFault(item);
            if (!await store.TryClaimJobAsync(item.Id, jobId, cancellationToken))
            {
                // A job enqueued by an earlier attempt whose recording was lost has started and claimed the item.
                jobs.Delete(jobId);
            }
        }
    }

    /// <summary>Hangfire wraps a storage fault in its own exception; the database's is what callers can judge and wait out.</summary>
    private string EnqueueOrThrowDatabaseFault(MigrationItem item)
    {
        try
        {
            return ImportFileJob.Enqueue(jobs, item);
        }
        catch (BackgroundJobClientException ex) when (DatabaseFault(ex) is { } fault)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
            throw;
        }
    }

    private static Npgsql.NpgsqlException? DatabaseFault(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is Npgsql.NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }

    private static long EstimateRows(string path, long size)
    {
        if (size == 0)
        {
            return 0;
        }

        var buffer = new byte[64 * 1024];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        var lines = buffer.AsSpan(0, read).Count((byte)'\n');
        return read >= size ? Math.Max(lines - 1, 0) : (long)(size / (read / (double)Math.Max(lines, 1)));
    }
}
