using System.Text;

namespace Ktrdr.Tests.Telemetry;

/// <summary>
/// A span as it arrived at the OTLP receiver, decoded from the protobuf of an <c>ExportTraceServiceRequest</c> (only
/// the fields the tests read: ids, name, start and end, attributes). A small reader of the wire format, so that a test
/// can say which span carries which attribute, not merely that the strings are somewhere in the bytes.
/// </summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, ulong StartNanos, ulong EndNanos,
    IReadOnlyDictionary<string, object> Attributes)
{
    /// <summary>Every span of one http/protobuf request body.</summary>
    public static IEnumerable<OtlpSpan> Decode(byte[] body)
    {
        foreach (var resourceSpans in Fields(body).Where(f => f.Number == 1).Select(f => f.Bytes))
        {
            foreach (var scopeSpans in Fields(resourceSpans).Where(f => f.Number == 2).Select(f => f.Bytes))
            {
                foreach (var span in Fields(scopeSpans).Where(f => f.Number == 2).Select(f => f.Bytes))
                {
                    yield return Span(span);
                }
            }
        }
    }

    private static OtlpSpan Span(byte[] bytes)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var f in Fields(bytes))
        {
            switch (f.Number)
            {
                case 1: traceId = Convert.ToHexString(f.Bytes); break;
                case 2: spanId = Convert.ToHexString(f.Bytes); break;
                case 4: parent = Convert.ToHexString(f.Bytes); break;
                case 5: name = Encoding.UTF8.GetString(f.Bytes); break;
                case 7: start = f.Value; break;
                case 8: end = f.Value; break;
                case 9:
                    var (key, value) = KeyValue(f.Bytes);
                    attributes[key] = value;
                    break;
            }
        }

        return new OtlpSpan(traceId, spanId, parent, name, start, end, attributes);
    }

    private static (string Key, object Value) KeyValue(byte[] bytes)
    {
        string key = "";
        object value = "";
        foreach (var f in Fields(bytes))
        {
            if (f.Number == 1)
            {
                key = Encoding.UTF8.GetString(f.Bytes);
            }
            else if (f.Number == 2)
            {
                foreach (var v in Fields(f.Bytes))
                {
                    value = v.Number switch
                    {
                        1 => Encoding.UTF8.GetString(v.Bytes),
                        2 => v.Value != 0,
                        3 => (long)v.Value,
                        4 => BitConverter.UInt64BitsToDouble(v.Value),
                        _ => value,
                    };
                }
            }
        }

        return (key, value);
    }

    /// <summary>The fields of one message: number, and the value (varint or fixed) or the bytes (length-delimited).</summary>
    private static IEnumerable<(int Number, ulong Value, byte[] Bytes)> Fields(byte[] message)
    {
        var i = 0;
        while (i < message.Length)
        {
            var tag = Varint(message, ref i);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return (number, Varint(message, ref i), []);
                    break;
                case 1:
                    yield return (number, BitConverter.ToUInt64(message, i), []);
                    i += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    yield return (number, 0, message[i..(i + length)]);
                    i += length;
                    break;
                case 5:
                    yield return (number, BitConverter.ToUInt32(message, i), []);
                    i += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {tag & 7} at byte {i}: not an OTLP message this reader knows");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
