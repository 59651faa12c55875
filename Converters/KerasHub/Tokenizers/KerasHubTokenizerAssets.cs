using System.Text;
using System.Text.Json;
using KerasPort.KerasHub.SentencePieceProto;

namespace KerasPort.KerasHub;

/// <summary>
/// A KerasHub tokenizer's vocabulary, read from its asset files as the class's <c>load_assets</c> reads them:
/// <c>vocabulary.spm</c> (SentencePiece), <c>vocabulary.txt</c> (WordPiece), <c>vocabulary.json</c> + <c>merges.txt</c>
/// (BytePair). Exactly the members of the tokenizer's family are set.
/// </summary>
public sealed record KerasHubTokenizerAssets
{
    /// <summary>SentencePiece: the serialized model proto.</summary>
    public byte[]? SentencePieceProto { get; init; }

    /// <summary>WordPiece: the pieces, in id order.</summary>
    public IReadOnlyList<string>? WordPieceVocabulary { get; init; }

    /// <summary>BytePair: token → id.</summary>
    public IReadOnlyDictionary<string, int>? BytePairVocabulary { get; init; }

    /// <summary>BytePair: the merge rules (<c>"a b"</c>), in rank order, without a <c>#version</c> line.</summary>
    public IReadOnlyList<string>? BytePairMerges { get; init; }

    /// <summary>The asset file names <paramref name="family"/> reads (keras-hub's <c>file_assets</c>).</summary>
    public static IReadOnlyList<string> FileNames(TokenizerFamily family) => family switch
    {
        TokenizerFamily.SentencePiece => ["vocabulary.spm"],
        TokenizerFamily.WordPiece => ["vocabulary.txt"],
        _ => ["vocabulary.json", "merges.txt"],
    };

    /// <summary>
    /// Reads the assets of <paramref name="family"/>; <paramref name="readAsset"/> returns a file's bytes by name or
    /// null if absent, and <paramref name="source"/> names the folder in errors (e.g. <c>model.keras!assets/</c>).
    /// </summary>
    /// <exception cref="ModelFileException">A file is missing or malformed.</exception>
    public static KerasHubTokenizerAssets Read(TokenizerFamily family, Func<string, byte[]?> readAsset, string source)
    {
        byte[] Require(string name) => readAsset(name) ?? throw new ModelFileException(source, name, $"the {family} tokenizer's asset {name} is missing");
        switch (family)
        {
            case TokenizerFamily.SentencePiece:
                var proto = Require("vocabulary.spm");
                ParseSentencePiece(proto, source);
                return new KerasHubTokenizerAssets { SentencePieceProto = proto };
            case TokenizerFamily.WordPiece:
                // word_piece_tokenizer.py set_vocabulary: one token a line, each rstrip()ped.
                var lines = Utf8(Require("vocabulary.txt"), source, "vocabulary.txt").Split('\n');
                var vocabulary = (lines[^1].Length == 0 ? lines[..^1] : lines).Select(l => l.TrimEnd()).ToList();
                return new KerasHubTokenizerAssets { WordPieceVocabulary = vocabulary };
            default:
                return new KerasHubTokenizerAssets
                {
                    BytePairVocabulary = ReadBytePairVocabulary(Require("vocabulary.json"), source),
                    // byte_pair_tokenizer.py set_vocabulary_and_merges: merges.txt is read as lines, "#version" lines skipped.
                    BytePairMerges = Utf8(Require("merges.txt"), source, "merges.txt").Split('\n').Select(l => l.TrimEnd('\r'))
                        .Where(l => l.Length > 0 && !l.TrimStart().StartsWith("#version:", StringComparison.Ordinal)).ToList(),
                };
        }
    }

    /// <summary>Parses a SentencePiece model proto; garbage is an error naming the asset.</summary>
    internal static ModelProto ParseSentencePiece(byte[] proto, string source)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(proto);
            if (model.Pieces.Count == 0) throw new InvalidDataException("the model has no pieces");
            return model;
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or InvalidDataException)
        {
            throw new ModelFileException(source, "vocabulary.spm", $"not a SentencePiece model proto: {e.Message}", e);
        }
    }

    static Dictionary<string, int> ReadBytePairVocabulary(byte[] json, string source)
    {
        try
        {
            var vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(json)
                ?? throw new JsonException("null instead of an object");
            return vocabulary;
        }
        catch (JsonException e) { throw new ModelFileException(source, "vocabulary.json", $"not a JSON object of token → id: {e.Message}", e); }
    }

    static string Utf8(byte[] bytes, string source, string name)
    {
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException e) { throw new ModelFileException(source, name, $"not UTF-8 text: {e.Message}", e); }
    }
}
