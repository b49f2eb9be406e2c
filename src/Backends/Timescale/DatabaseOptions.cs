using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ktrdr.Backends.Timescale;

/// <summary>
/// Where the database is and how to connect, read from the seed's environment variables. Whether readers use it
/// (<c>DB_TYPE</c>) is the host's choice, not a setting of Backends. The password is kept out of
/// <see cref="ToString"/>, logs and messages.
/// </summary>
public sealed class DatabaseOptions
{
    [ConfigurationKeyName("DB_HOST")]
    public string Host { get; set; } = "localhost";

    [ConfigurationKeyName("DB_PORT")]
    [Range(1, 65535, ErrorMessage = "DB_PORT must be a TCP port between 1 and 65535")]
    public int Port { get; set; } = 5432;

    [ConfigurationKeyName("DB_NAME")]
    public string Name { get; set; } = "ktrdr";

    [ConfigurationKeyName("DB_USER")]
    public string User { get; set; } = "ktrdr";

    [ConfigurationKeyName("DB_PASSWORD")]
    public string? Password { get; set; }

    /// <summary>Connections kept in the pool.</summary>
    [ConfigurationKeyName("DB_POOL_SIZE")]
    [Range(1, 1000, ErrorMessage = "DB_POOL_SIZE must be between 1 and 1000")]
    public int PoolSize { get; set; } = 10;

    /// <summary>Connections allowed beyond the pool size under load.</summary>
    [ConfigurationKeyName("DB_MAX_OVERFLOW")]
    [Range(0, 1000, ErrorMessage = "DB_MAX_OVERFLOW must be between 0 and 1000")]
    public int MaxOverflow { get; set; } = 20;

    /// <summary>A full connection string; when set it wins over the DB_HOST..DB_PASSWORD parts.</summary>
    [ConfigurationKeyName("DB_CONNECTION_STRING")]
    public string? ConnectionString { get; set; }

    [ConfigurationKeyName("DB_COMMAND_TIMEOUT")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The connection string with the password in it: for Npgsql only, never for display.</summary>
    public string BuildConnectionString()
    {
        var builder = ParseConnectionString();
        if (string.IsNullOrEmpty(ConnectionString))
        {
            builder.Host = Host;
            builder.Port = Port;
            builder.Database = Name;
            builder.Username = User;
            builder.Password = Password;
        }

        builder.MaxPoolSize = PoolSize + MaxOverflow;
        builder.MinPoolSize = 0;
        builder.CommandTimeout = (int)CommandTimeout.TotalSeconds;
        builder.ApplicationName ??= "ktrdr-worker";
        return builder.ConnectionString;
    }

    /// <summary>
    /// <see cref="ConnectionString"/> parsed; a malformed one is a configuration error naming DB_CONNECTION_STRING and
    /// the offending keyword, never the value (it may hold the password).
    /// </summary>
    /// <exception cref="ArgumentException">DB_CONNECTION_STRING is not a valid connection string.</exception>
    private NpgsqlConnectionStringBuilder ParseConnectionString()
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(ConnectionString ?? "");
        }
        catch (ArgumentException ex)
        {
            var what = ex.ParamName is { Length: > 0 } keyword
                ? $"the keyword '{keyword}' is unknown or its value is invalid"
                : "it is not KEYWORD=VALUE pairs separated by ';'";
            throw new ArgumentException(
                $"configuration: DB_CONNECTION_STRING is not a valid PostgreSQL connection string: {what} (the value is not shown: it may hold a password); " +
                "use Npgsql keywords such as Host=db;Port=5432;Database=ktrdr;Username=ktrdr;Password=..., or unset it and use DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD",
                ex);
        }
    }

    /// <summary>Where the database is, without the password: safe for logs and messages.</summary>
    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(BuildConnectionString());
        return $"{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public override string ToString() => Describe();
}
