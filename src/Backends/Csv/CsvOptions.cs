using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Ktrdr.Backends.Csv;

/// <summary>Where the legacy CSV store lives.</summary>
public sealed class CsvOptions
{
    /// <summary>The data directory with <c>{SYMBOL}_{TIMEFRAME}.csv</c> files (env <c>DATA_DIR</c>).</summary>
    [Required(ErrorMessage = "DATA_DIR is empty: set it to the directory holding SYMBOL_TIMEFRAME.csv files")]
    [ConfigurationKeyName("DATA_DIR")]
    public string DataDir { get; set; } = "data";
}
