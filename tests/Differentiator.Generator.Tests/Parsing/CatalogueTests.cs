using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Differentiator.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>The descriptor catalogue agrees with its lookup, the release-tracking file and the documentation pages.</summary>
public class CatalogueTests
{
    private static string Root => Tests.Diagnostics.DiagnosticTests.RepositoryRoot();

    [Fact]
    public void Every_descriptor_is_found_by_its_id_and_ids_are_unique()
    {
        Assert.Equal(DiagnosticDescriptors.All.Count, DiagnosticDescriptors.All.Select(d => d.Id).Distinct().Count());
        Assert.All(DiagnosticDescriptors.All, d => Assert.Same(d, DiagnosticDescriptors.ById(d.Id)));
        Assert.All(DiagnosticDescriptors.All, d => Assert.Equal("Differentiator", d.Category));
        Assert.All(Enumerable.Range(1, 17), k => Assert.Equal(DiagnosticSeverity.Error, DiagnosticDescriptors.ById("DIFF" + k.ToString("000", System.Globalization.CultureInfo.InvariantCulture)).DefaultSeverity));
    }

    [Fact]
    public void Every_descriptor_is_tracked_in_the_unshipped_release_with_its_category_and_severity()
    {
        string release = File.ReadAllText(Path.Combine(Root, "src", "Differentiator.Generator", "AnalyzerReleases.Unshipped.md"));
        var rows = Regex.Matches(release, @"^(DIFF\d{3})\s*\|\s*(\w+)\s*\|\s*(\w+)", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => (Category: m.Groups[2].Value, Severity: m.Groups[3].Value));
        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(i => i), rows.Keys.OrderBy(i => i));
        Assert.All(DiagnosticDescriptors.All, d => Assert.Equal((d.Category, d.DefaultSeverity.ToString()), rows[d.Id]));
    }

    [Fact]
    public void Every_page_explains_the_trigger_shows_an_example_and_the_fix_and_the_index_links_it()
    {
        string index = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", "README.md"));
        foreach (var d in DiagnosticDescriptors.All)
        {
            string page = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics", d.Id + ".md"));
            Assert.StartsWith("# " + d.Id, page);
            Assert.Contains("```csharp", page);
            Assert.Contains("(" + d.Id + ".md)", index);
            Assert.Equal("https://github.com/differentiator/differentiator/blob/main/docs/diagnostics/" + d.Id + ".md", d.HelpLinkUri);
        }
    }
}
