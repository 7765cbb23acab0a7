using System.Collections.Generic;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// A primal statement's place in the method body: the path of indices from the body root, with <c>then</c>,
/// <c>else</c> and <c>body</c> naming the nested blocks (<c>2.body.0.then.1</c>). A value: equal ids name the same
/// place however the statement is copied, so the plan and the sweeps key what they know about a statement by it.
/// </summary>
internal sealed record StmtId(string Path)
{
    public override string ToString() => Path;
}

/// <summary>
/// The ids of the primal body's statements, assigned once before differentiation. This is the one place that looks a
/// statement up by identity (the IR's records carry no id of their own and compare by value, so two equal
/// assignments at different places are told apart here); everything after it is keyed by <see cref="StmtId"/>.
/// A statement object the lowering put at two places keeps its first place: it is one statement to every table.
/// </summary>
internal sealed class StatementIds
{
    private readonly Dictionary<object, StmtId> _ids = new(Model.ReferenceEqualityComparer.Instance);
    private readonly Dictionary<StmtId, Stmt> _statements = new();

    public StatementIds(Block body) => Number(body, "");

    private void Number(Block block, string prefix)
    {
        for (int k = 0; k < block.Statements.Count; k++)
        {
            var s = block.Statements[k];
            var id = new StmtId(prefix + k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (_ids.ContainsKey(s)) continue;
            _ids[s] = id;
            _statements[id] = s;
            var blocks = IrWalker.Blocks(s);
            for (int b = 0; b < blocks.Count; b++) Number(blocks[b], id.Path + "." + BlockName(s, b) + ".");
        }
    }

    private static string BlockName(Stmt compound, int block) => compound is If ? (block == 0 ? "then" : "else") : "body";

    /// <summary>The id of a statement of the primal body; a copy or a generated statement has none (a bug in the caller).</summary>
    public StmtId Of(Stmt statement) =>
        _ids.TryGetValue(statement, out var id)
            ? id
            : throw new System.InvalidOperationException("Not a statement of the primal body: " + statement.GetType().Name + " " + statement.Source);

    public Stmt this[StmtId id] => _statements[id];
}
