using System.Text;
using KerasPort.Converters.CSharp;

namespace KerasPort.Runtime.Export;

/// <summary>
/// Writes module weights in TorchSharp's own format, the one <c>Module.save</c> writes and <c>Module.load</c> reads, for the
/// C# source <see cref="CSharpEmitter"/> generates. TorchSharp writes the file itself: the entries become the parameters
/// of a tree of modules shaped like their dotted keys (<c>conv1.weight</c> is <c>weight</c> of child <c>conv1</c>), whose
/// <c>save</c> produces the same <c>state_dict</c> the generated module has.
/// </summary>
public static class TorchSharpStateFile
{
    /// <summary>Writes <paramref name="state"/> to <paramref name="stream"/> (left open).</summary>
    public static void Save(IReadOnlyList<TorchStateEntry> state, Stream stream)
    {
        using var scope = NewDisposeScope();
        using var root = new StateNode();
        foreach (var entry in state)
            root.Add(entry.Key.Split('.'), TensorConversions.ToTensor(entry.Value, CPU));
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        root.save(writer);
    }

    /// <summary>A module that only holds the tensors given to it, as buffers, and child modules for dotted keys.</summary>
    sealed class StateNode() : nn.Module("state")
    {
        readonly Dictionary<string, StateNode> nodes = new(StringComparer.Ordinal);

        public void Add(ReadOnlySpan<string> path, Tensor value)
        {
            if (path.Length == 1)
            {
                register_buffer(path[0], value);
                return;
            }
            if (!nodes.TryGetValue(path[0], out var child))
            {
                nodes[path[0]] = child = new StateNode();
                register_module(path[0], child);
            }
            child.Add(path[1..], value);
        }
    }
}
