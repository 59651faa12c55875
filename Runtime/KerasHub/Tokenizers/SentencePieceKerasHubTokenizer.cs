using System.Text;
using KerasPort.KerasHub.SentencePieceProto;
using MlTokenizers = Microsoft.ML.Tokenizers;

namespace KerasPort.KerasHub;

/// <summary>
/// keras_hub/src/tokenizers/sentence_piece_tokenizer.py, which runs the <c>sentencepiece</c> package's
/// <c>Encode(add_bos, add_eos)</c> and <c>Decode</c>. Encoding runs on Microsoft.ML.Tokenizers' SentencePiece model
/// (unigram and BPE); decoding follows SentencePiece's own <c>SentencePieceProcessor::Decode</c>
/// (src/sentencepiece_processor.cc), which Microsoft.ML.Tokenizers does not match for control and unknown pieces.
/// </summary>
internal sealed class SentencePieceKerasHubTokenizer : KerasHubTokenizer
{
    const string SpaceSymbol = "\u2581";

    readonly MlTokenizers.SentencePieceTokenizer _model;
    readonly ModelProto _proto;
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    readonly int _unknownId;
    readonly List<string> _userDefined;

    public SentencePieceKerasHubTokenizer(KerasHubTokenizerConfig config, byte[] proto, string source) : base(config)
    {
        _proto = KerasHubTokenizerAssets.ParseSentencePiece(proto, source);
        for (int id = 0; id < _proto.Pieces.Count; id++) _ids.TryAdd(_proto.Pieces[id].Piece, id);
        _unknownId = Enumerable.Range(0, _proto.Pieces.Count).FirstOrDefault(id => _proto.Pieces[id].Type == ModelProto.Types.SentencePiece.Types.Type.Unknown, -1);
        if (_unknownId < 0) throw new ModelFileException(source, "vocabulary.spm", "the SentencePiece model has no <unk> piece");
        _userDefined = Enumerable.Range(0, _proto.Pieces.Count)
            .Where(id => _proto.Pieces[id].Type == ModelProto.Types.SentencePiece.Types.Type.UserDefined)
            .Select(id => _proto.Pieces[id].Piece).Where(p => p.Length > 0).OrderByDescending(p => p.Length).ToList();
        try { _model = MlTokenizers.SentencePieceTokenizer.Create(new MemoryStream(proto), false, false); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new ModelFileException(source, "vocabulary.spm", $"Microsoft.ML.Tokenizers cannot run this SentencePiece model: {e.Message}", e);
        }
    }

    public override int VocabularySize => _proto.Pieces.Count;

    public override string IdToToken(int id)
    {
        CheckId(id);
        return _proto.Pieces[id].Piece;
    }

    /// <summary>Like keras-hub (and SentencePiece's <c>PieceToId</c>): an unknown token gives the <c>&lt;unk&gt;</c> id.</summary>
    public override int TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : _unknownId;

    private protected override bool Contains(string token) => _ids.ContainsKey(token);

    private protected override int[] Encode(string text)
    {
        var ids = _userDefined.Count == 0 ? _model.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false) : EncodeWithUserDefined(text);
        // SentencePiece emits one <unk> for a run of unknown characters ("日本語" is one <unk>);
        // Microsoft.ML.Tokenizers emits one per character.
        var merged = new List<int>(ids.Count + 2);
        if (Config.AddBos && _model.BeginningOfSentenceId >= 0) merged.Add(_model.BeginningOfSentenceId);
        foreach (var id in ids)
            if (id != _unknownId || merged.Count == 0 || merged[^1] != _unknownId) merged.Add(id);
        // Unlike Microsoft.ML.Tokenizers, SentencePiece adds <bos>/<eos> to an empty text too.
        if (Config.AddEos && _model.EndOfSentenceId >= 0) merged.Add(_model.EndOfSentenceId);
        return merged.ToArray();
    }

    /// <summary>
    /// SentencePiece matches user-defined pieces (e.g. "&lt;start_of_turn&gt;") whole, longest first, in the normalized
    /// text (dummy prefix included). Microsoft.ML.Tokenizers' special tokens split the raw text instead and normalize
    /// each part on its own, which moves the dummy prefix; so normalize once here and encode the parts between.
    /// </summary>
    List<int> EncodeWithUserDefined(string text)
    {
        var normalized = _model.Normalizer?.Normalize(text) ?? text;
        var ids = new List<int>();
        int start = 0;
        for (int i = 0; i < normalized.Length;)
        {
            var match = _userDefined.FirstOrDefault(p => string.CompareOrdinal(normalized, i, p, 0, p.Length) == 0);
            if (match is null) { i++; continue; }
            if (i > start) ids.AddRange(_model.EncodeToIds(normalized[start..i], false, false, considerPreTokenization: true, considerNormalization: false));
            ids.Add(_ids[match]);
            i += match.Length;
            start = i;
        }
        if (start < normalized.Length) ids.AddRange(_model.EncodeToIds(normalized[start..], false, false, considerPreTokenization: true, considerNormalization: false));
        return ids;
    }

    /// <summary>SentencePieceProcessor::Decode: control pieces vanish, <c>&lt;unk&gt;</c> is the unk surface, byte pieces join into UTF-8, and leading ▁ of the text is dropped.</summary>
    private protected override string Decode(IReadOnlyList<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        var normalizer = _proto.NormalizerSpec ?? new NormalizerSpec();
        bool consumeLeadingSpace = normalizer.AddDummyPrefix || normalizer.RemoveExtraWhitespaces;
        bool isBeginning = true, leadingSpaceSeen = false;
        foreach (var id in ids)
        {
            var piece = _proto.Pieces[id];
            // A byte piece is spelled <0xAB>.
            if (piece.Type == ModelProto.Types.SentencePiece.Types.Type.Byte && piece.Piece.Length == 6
                && byte.TryParse(piece.Piece.AsSpan(3, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var value))
            {
                bytes.Add(value);
                continue;
            }
            FlushBytes(bytes, text);
            if (leadingSpaceSeen || text.Length > 0) isBeginning = false;
            leadingSpaceSeen = false;
            switch (piece.Type)
            {
                case ModelProto.Types.SentencePiece.Types.Type.Control:
                    break;
                case ModelProto.Types.SentencePiece.Types.Type.Unknown:
                    text.Append(_proto.TrainerSpec?.UnkSurface ?? " \u2047 ");
                    break;
                default:
                    var surface = piece.Piece;
                    if (isBeginning && consumeLeadingSpace && surface.StartsWith(SpaceSymbol, StringComparison.Ordinal))
                    {
                        surface = surface[SpaceSymbol.Length..];
                        // With remove_extra_whitespaces every leading ▁ goes, else only the first.
                        leadingSpaceSeen = !normalizer.RemoveExtraWhitespaces;
                    }
                    text.Append(surface.Replace(SpaceSymbol, " ", StringComparison.Ordinal));
                    break;
            }
        }
        FlushBytes(bytes, text);
        return text.ToString();
    }

    /// <summary>Byte pieces as UTF-8; each byte of an invalid sequence becomes U+FFFD, as SentencePiece does.</summary>
    static void FlushBytes(List<byte> bytes, StringBuilder text)
    {
        var span = bytes.ToArray().AsSpan();
        while (!span.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(span, out var rune, out int consumed);
            if (status != System.Buffers.OperationStatus.Done) { rune = Rune.ReplacementChar; consumed = 1; }
            text.Append(rune.ToString());
            span = span[consumed..];
        }
        bytes.Clear();
    }
}
