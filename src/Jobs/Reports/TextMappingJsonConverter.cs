using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ktrdr.Jobs.Reports;

/// <summary>Writes and reads an enum in JSON as its <see cref="TextMapping{TEnum}"/> text, the same text as everywhere else.</summary>
public sealed class TextMappingJsonConverter<TEnum>(TextMapping<TEnum> mapping) : JsonConverter<TEnum> where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return mapping.Parse(reader.GetString());
        }
        catch (FormatException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(mapping.ToText(value));
    }
}
