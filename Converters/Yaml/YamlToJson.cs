using System.Globalization;
using System.Text.Json.Nodes;
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
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw new ModelFileException(source, $"line {e.Start.Line}", $"malformed YAML: {e.Message}", e); }
        catch (ArgumentException e) { throw new ModelFileException(source, null, $"malformed YAML: {e.Message}", e); }
        if (stream.Documents.Count == 0) throw new ModelFileException(source, null, "empty YAML document");
        if (stream.Documents.Count > 1)
            throw new ModelFileException(source, null, $"malformed YAML: {stream.Documents.Count} documents where one model architecture is expected");
        return ToJson(stream.Documents[0].RootNode);
    }

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
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
