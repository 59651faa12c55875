namespace KerasPort;

/// <summary>
/// Inputs passed to a model do not fit it: wrong count, a missing or unknown name, or a shape whose rank or fixed
/// dimensions differ from the declared input. The message names the input and both shapes.
/// </summary>
public sealed class ModelInputException : KerasPortException
{
    /// <summary>Creates the exception.</summary>
    public ModelInputException(string message) : base(message) { }
}
