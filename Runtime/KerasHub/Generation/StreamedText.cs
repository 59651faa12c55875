using System.Text;

namespace KerasPort.KerasHub;

/// <summary>
/// The text that each generated token adds to one row, so that the prompt's text and the streamed texts, joined, are
/// exactly the row's full detokenization, at a cost per token that does not grow with the row. A token alone would
/// lose its context (SentencePiece drops a text's leading space and joins byte pieces into UTF-8; byte-level BPE
/// splits a character's bytes across tokens), so each step detokenizes a short window: a prefix of tokens whose text
/// is already out, then the tokens not yet out, and streams the difference (as Hugging Face's TextStreamer does, with
/// a check that the prefix reproduces the text it stands for).
/// </summary>
/// <remarks>
/// The prefix is valid when its text is nonempty (so no leading-space rule of the window's start reaches the new
/// tokens) and ends the text streamed so far (so no byte sequence is cut at its start). New tokens are held back while
/// their window ends in U+FFFD (a character whose bytes are still coming) or does not extend the prefix's text; the
/// row's last token flushes what is held, by a full detokenization if the window cannot say it.
/// </remarks>
internal sealed class StreamedText
{
    const char Replacement = '\uFFFD';
    const int PromptPrefixTries = 8;

    readonly ICausalLMPreprocessor preprocessor;
    readonly List<int> ids;
    readonly StringBuilder text;
    int prefixStart;
    int readEnd;
    string prefixText = "";

    /// <summary>A row whose prompt holds <paramref name="promptIds"/> (its padding removed).</summary>
    public StreamedText(ICausalLMPreprocessor preprocessor, IEnumerable<int> promptIds)
    {
        this.preprocessor = preprocessor;
        ids = [.. promptIds];
        text = new StringBuilder(Decode(0, ids.Count));
        readEnd = ids.Count;
        // The shortest valid prefix among the prompt's last few tokens; else the whole prompt, which always is one.
        for (prefixStart = readEnd - 1; prefixStart >= Math.Max(1, readEnd - PromptPrefixTries); prefixStart--)
        {
            prefixText = Decode(prefixStart, readEnd);
            if (IsValidPrefix(prefixText)) return;
        }
        prefixStart = 0;
        prefixText = text.ToString();
    }

    /// <summary>Adds <paramref name="token"/> and returns the text now known to follow the streamed text ("" while held back); <paramref name="isLast"/> flushes everything.</summary>
    public string Add(int token, bool isLast)
    {
        ids.Add(token);
        var window = Decode(prefixStart, ids.Count);
        // The tokens since the prefix add nothing (a stop token, a control piece): nothing is held back.
        if (window == prefixText) return "";
        if (window.Length <= prefixText.Length || !window.StartsWith(prefixText, StringComparison.Ordinal)) return isLast ? Flush() : "";
        if (!isLast && window[^1] == Replacement) return "";
        var added = window[prefixText.Length..];
        text.Append(added);
        // Slide the prefix up to the tokens just streamed when they make a valid one; else it grows by them.
        var next = Decode(readEnd, ids.Count);
        (prefixStart, prefixText) = IsValidPrefix(next) ? (readEnd, next) : (prefixStart, window);
        readEnd = ids.Count;
        return added;
    }

    /// <summary>What the full detokenization has beyond the streamed text.</summary>
    string Flush()
    {
        var full = Decode(0, ids.Count);
        var streamed = text.ToString();
        text.Clear().Append(full);
        return full.StartsWith(streamed, StringComparison.Ordinal) ? full[streamed.Length..] : full;
    }

    bool IsValidPrefix(string candidate)
    {
        if (candidate.Length == 0 || candidate.Length > text.Length) return false;
        for (int i = 1; i <= candidate.Length; i++)
            if (candidate[^i] != text[text.Length - i]) return false;
        return true;
    }

    string Decode(int start, int end)
    {
        int[] window = [.. ids.GetRange(start, end - start)];
        return preprocessor.Postprocess([window], [[.. window.Select(_ => true)]])[0];
    }
}
