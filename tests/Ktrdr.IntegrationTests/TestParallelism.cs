// Fixtures run side by side: each creates its own database (PostgresServer.CreateDatabaseAsync, TimescaleDatabase,
// TestDatabase, JobsHarness) and its own temp directories, and most of their time is spent waiting on PostgreSQL and
// on child processes (the real CLI, 'ktrdr serve'), not on this process's CPU. Tests within a fixture still run one
// after another (they share the fixture's database).
//
// A fixture is [NonParallelizable] (it then runs with nothing else beside it) when it uses process-wide state:
// - Hangfire in this process (JobsHarness, WorkerApp, RunningWorker, ServeCommand.Build). Each host now has its own
//   storage, activator and filter provider (KtrdrHost), but Hangfire still keeps its log provider, serializer settings
//   and dashboard routes process-wide. Tried on 2026-11-30 with the 14 JobsHarness fixtures side by side: run
//   lifecycle tests found their enqueued jobs never processed (3 failures) and the run took longer (11 min), so they
//   stay one at a time until that is understood;
// - in-process tracing (an in-memory exporter sees the spans of every fixture running beside it);
// - TimescaleDB's background schedulers (CompressionPolicy stops those of the other databases of the run);
// - the shared migrated store that a test changes and puts back (MigratedStore, VerifyCommandTests).
// Fixtures that drive only the real CLI or 'ktrdr serve' as child processes on their own database are parallel.
//
// Four at a time, on a 2-core machine: the parallel fixtures alone took 5.5 min with four (8.8 min one at a time, both
// with the machine shared, load 15-20). More would mostly add contention for the two cores and for PostgreSQL's
// checkpoints; '-- NUnit.NumberOfTestWorkers=N' after 'dotnet test' tries another level without a rebuild.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
