using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator.Editing;

/// <summary>
/// What a keystroke changed between two versions of a file, when it is an edit that cannot change the meaning of
/// any code it does not touch: every change lies either inside the body of a method (between its braces, which stay
/// the same tokens, with no preprocessor directive in the old or the new body) or inside the whitespace and comments
/// between two tokens that stay the same. C# binds a member from the declarations and its own text, never from
/// another method's body, so every method the edit does not touch means what it meant, only moved
/// (<see cref="Map"/>). A method that reads another one's body (an inlined helper) must be analysed again all the
/// same: that is the caller's to know (<see cref="Model.SourcePositions.ReadsOtherMethods"/>).
/// </summary>
internal sealed class TreeEdit
{
    private readonly ImmutableArray<TextChangeRange> _changes;

    private TreeEdit(ImmutableArray<TextChangeRange> changes) => _changes = changes;

    /// <summary>The changes in the old text's coordinates, in order.</summary>
    public ImmutableArray<TextChangeRange> Changes => _changes;

    /// <summary>
    /// The edit from <paramref name="before"/> to <paramref name="after"/> when it is such a local one; null for any
    /// other (a declaration, a directive or a brace typed, or texts not derived one from the other).
    /// </summary>
    public static TreeEdit? Between(SyntaxTree before, SyntaxTree after, CancellationToken cancellationToken)
    {
        if (!before.TryGetText(out var oldText) || !after.TryGetText(out var newText)) return null;
        var changes = newText.GetChangeRanges(oldText);
        // Unrelated texts come back as one change of everything; that fails the tests below at once.
        if (changes.Count > 16) return null;
        var edit = new TreeEdit(changes.ToImmutableArray());
        var oldRoot = before.GetRoot(cancellationToken);
        var newRoot = after.GetRoot(cancellationToken);
        int delta = 0;
        foreach (var change in changes)
        {
            // Where the change's new text stands: shifted by the changes before it only.
            var inserted = new TextSpan(change.Span.Start + delta, change.NewLength);
            if (!edit.InsideMethodBody(change.Span, inserted, oldRoot, newRoot) && !edit.InsideTrivia(change.Span, inserted, oldRoot, newRoot)) return null;
            delta += change.NewLength - change.Span.Length;
        }
        return edit;
    }

    /// <summary>Where a position of the old text stands in the new one; valid outside the changed spans.</summary>
    public int Map(int oldPosition)
    {
        int delta = 0;
        foreach (var change in _changes)
        {
            if (change.Span.End > oldPosition) break;
            delta += change.NewLength - change.Span.Length;
        }
        return oldPosition + delta;
    }

    /// <summary>The span of the old text in the new one, or null when a change touches it (overlaps or abuts it).</summary>
    public TextSpan? Map(TextSpan oldSpan)
    {
        foreach (var change in _changes)
        {
            if (change.Span.Start <= oldSpan.End && change.Span.End >= oldSpan.Start) return null;
        }
        return new TextSpan(Map(oldSpan.Start), oldSpan.Length);
    }

    /// <summary>A change strictly between a method body's braces, which are the same tokens before and after, as is the method's extent.</summary>
    private bool InsideMethodBody(TextSpan removed, TextSpan inserted, SyntaxNode oldRoot, SyntaxNode newRoot)
    {
        var oldMethod = oldRoot.FindToken(removed.Start).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (oldMethod?.Body is not { } oldBody || !StrictlyInside(removed, oldBody)) return false;
        var newMethod = newRoot.FindToken(Map(oldMethod.SpanStart)).Parent?.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (newMethod?.Body is not { } newBody) return false;
        return newMethod.SpanStart == Map(oldMethod.SpanStart) && newMethod.Span.End == Map(oldMethod.Span.End)
            && newBody.OpenBraceToken.SpanStart == Map(oldBody.OpenBraceToken.SpanStart)
            && newBody.CloseBraceToken.SpanStart == Map(oldBody.CloseBraceToken.SpanStart)
            && StrictlyInside(inserted, newBody)
            && !oldBody.ContainsDirectives && !newBody.ContainsDirectives;
    }

    private static bool StrictlyInside(TextSpan span, BlockSyntax body) =>
        !body.OpenBraceToken.IsMissing && !body.CloseBraceToken.IsMissing
        && span.Start >= body.OpenBraceToken.Span.End && span.End <= body.CloseBraceToken.SpanStart;

    /// <summary>A change inside the whitespace and comments between two tokens that are the same before and after.</summary>
    private bool InsideTrivia(TextSpan removed, TextSpan inserted, SyntaxNode oldRoot, SyntaxNode newRoot)
    {
        if (Gap(oldRoot, removed) is not { } old || Gap(newRoot, inserted) is not { } now) return false;
        var (oldBefore, oldAfter) = old;
        var (newBefore, newAfter) = now;
        return Same(oldBefore, newBefore, this) && Same(oldAfter, newAfter, this) && Plain(oldBefore, oldAfter) && Plain(newBefore, newAfter);

        static bool Same(SyntaxToken old, SyntaxToken @new, TreeEdit edit) =>
            old.RawKind == @new.RawKind && old.Text == @new.Text
            && (old.RawKind == 0 || @new.SpanStart == edit.Map(old.SpanStart));
    }

    /// <summary>The tokens either side of <paramref name="span"/> when it touches no token (the first is default at the file's start).</summary>
    private static (SyntaxToken Before, SyntaxToken After)? Gap(SyntaxNode root, TextSpan span)
    {
        var after = root.FindToken(span.End);
        if (after.SpanStart < span.End)
        {
            if (after.Span.End > span.Start) return null; // the change is in a token
            after = after.GetNextToken(includeZeroWidth: true);
            if (after.RawKind == 0) return null;
        }
        var before = after.GetPreviousToken(includeZeroWidth: true);
        if (before.RawKind != 0 && before.Span.End > span.Start) return null;
        return (before, after);
    }

    /// <summary>Only whitespace, line ends and comments between the two tokens: nothing the compiler reads.</summary>
    private static bool Plain(SyntaxToken before, SyntaxToken after)
    {
        IEnumerable<SyntaxTrivia> between = after.LeadingTrivia;
        if (before.RawKind != 0) between = before.TrailingTrivia.Concat(between);
        return between.All(t => t.Kind() is SyntaxKind.WhitespaceTrivia or SyntaxKind.EndOfLineTrivia
            or SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia);
    }
}
