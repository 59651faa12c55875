using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KerasPort.Converters.Yaml;

/// <summary>
/// Converts a Keras YAML architecture (<c>model.to_yaml()</c> in Keras 2, or <c>yaml.safe_dump</c> of the JSON)
/// to the same JSON tree the JSON reader sees. Plain scalars are typed as YAML 1.1 does; Python tags such as
/// <c>!!python/tuple</c> are read as plain lists and never executed.
/// </summary>
internal static class YamlToJson
{
    /// <summary>Parses YAML text; <paramref name="source"/> names the file for errors.</summary>
    public static JsonNode? Convert(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            CheckDepth(yaml, source);
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0) throw new ModelFileException(source, null, "empty YAML document");
            if (stream.Documents.Count > 1)
                throw new ModelFileException(source, null, $"malformed YAML: {stream.Documents.Count} documents where one model architecture is expected");
            return ToJson(stream.Documents[0].RootNode);
        }
        catch (YamlException e) { throw new ModelFileException(source, $"line {e.Start.Line}", $"malformed YAML: {e.Message}", e); }
        // YamlDotNet's scanner can also fail with InvalidOperationException (found by fuzzing) or other plain exceptions.
        catch (Exception e) when (e is not KerasPortException and not OutOfMemoryException)
        {
            throw new ModelFileException(source, null, $"malformed YAML: {e.Message}", e);
        }
    }

    /// <summary>Nesting allowed, as for JSON configs (System.Text.Json's default); real Keras configs stay far below.</summary>
    const int MaxDepth = 64;

    /// <summary>
    /// Refuses deeper nesting than <see cref="MaxDepth"/> by streaming the parser's events (which keeps its own
    /// stack), before <see cref="YamlStream"/> builds the tree recursively and a hostile file could overflow the stack.
    /// </summary>
    static void CheckDepth(string yaml, string source)
    {
        var parser = new Parser(new StringReader(yaml));
        int depth = 0;
        while (parser.MoveNext())
        {
            if (parser.Current is YamlDotNet.Core.Events.NodeEvent and (YamlDotNet.Core.Events.SequenceStart or YamlDotNet.Core.Events.MappingStart) && ++depth > MaxDepth)
                throw new ModelFileException(source, $"line {parser.Current.Start.Line}", $"YAML nested deeper than {MaxDepth} levels");
            if (parser.Current is YamlDotNet.Core.Events.SequenceEnd or YamlDotNet.Core.Events.MappingEnd) depth--;
        }
    }

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create((kv.Key as YamlScalarNode)?.Value ?? throw new ArgumentException($"mapping key at line {kv.Key.Start.Line} is not a plain value"), ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any)) return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
            case ".nan" or ".NaN" or ".NAN": return JsonValue.Create("NaN");
            case ".inf" or ".Inf" or "+.inf": return JsonValue.Create("Infinity");
            case "-.inf" or "-.Inf": return JsonValue.Create("-Infinity");
        }
        // Numbers go through the JSON parser so they convert to int, long or double like JSON-read configs do.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && text.Any(char.IsDigit))
            return JsonNode.Parse(double.IsFinite(number) && !text.Contains('.') && !text.Contains('e') && !text.Contains('E')
                ? text.TrimStart('+')
                : number.ToString("R", CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }
}
