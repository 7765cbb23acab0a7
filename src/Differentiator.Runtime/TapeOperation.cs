namespace Differentiator;

/// <summary>What a tape node computes; kept only by a tape that records its graph, for drawing it.</summary>
internal enum TapeOperation : byte
{
    Variable,
    Add,
    Subtract,
    Multiply,
    Divide,
    Negate,
    Exp,
    Log,
    Sqrt,
    Pow,
    Sin,
    Cos,
    Tan,
    Tanh,
    Sinh,
    Cosh,
    Atan,
    Asin,
    Acos,
    Log10,
    Log2,
    Cbrt,
    Abs,
    Max,
    Min,
    Asinh,
    Acosh,
    Clamp,
    FusedMultiplyAdd,
    LogBase,
    Hypot,
    Atanh,
    /// <summary>A function with a custom derivative (<see cref="Tape.Custom"/>).</summary>
    Custom,
}

/// <summary>Which operand of a binary operation was a constant (not recorded, so absent from the parents).</summary>
internal enum ConstantOperand : byte
{
    None,
    Left,
    Right,
}
