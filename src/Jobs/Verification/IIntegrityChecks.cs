namespace Ktrdr.Jobs.Verification;

/// <summary>Database-wide checks of the stored bars, independent of any CSV file (<see cref="IntegrityChecker"/>).</summary>
public interface IIntegrityChecks
{
    /// <summary>Runs every check. Read-only; repeatable.</summary>
    /// <exception cref="Npgsql.NpgsqlException">The database cannot be reached or has no <c>price_data</c> table.</exception>
    Task<IntegrityReport> CheckAsync(CancellationToken cancellationToken);
}
